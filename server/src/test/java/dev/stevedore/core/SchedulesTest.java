package dev.stevedore.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The schedule's promises, on an executor that only records what it is asked: the test runs the
 * scheduled runs itself, so nothing depends on time.
 */
class SchedulesTest {

  /** What the executor was asked to schedule, and whether it was cancelled. */
  private static final class Asked {
    final Runnable run;
    final long initialDelay;
    final long delay;
    final TimeUnit unit;
    final CompletableFuture<Void> future = new CompletableFuture<>();

    Asked(Runnable run, long initialDelay, long delay, TimeUnit unit) {
      this.run = run;
      this.initialDelay = initialDelay;
      this.delay = delay;
      this.unit = unit;
    }
  }

  private final List<Asked> asked = new ArrayList<>();
  private final List<LogRecord> logged = new ArrayList<>();
  private final Logger log = Logger.getLogger(Schedules.class.getName());
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private final Schedules schedules =
      new Schedules() {
        @Override
        ScheduledExecutorService executor() {
          return (ScheduledExecutorService)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {ScheduledExecutorService.class},
                  (proxy, method, args) -> {
                    assertEquals("scheduleWithFixedDelay", method.getName());
                    Asked one =
                        new Asked(
                            (Runnable) args[0], (long) args[1], (long) args[2], (TimeUnit) args[3]);
                    asked.add(one);
                    return new FakeFuture(one.future);
                  });
        }
      };

  @BeforeEach
  void listen() {
    log.addHandler(handler);
    log.setUseParentHandlers(false);
  }

  @AfterEach
  void stopListening() {
    log.removeHandler(handler);
    log.setUseParentHandlers(true);
  }

  @Test
  void schedulesWithAFixedDelayAfterTheInitialOne() {
    schedules.withFixedDelay("Pass", Duration.ofSeconds(2), Duration.ofMillis(500), () -> {});
    Asked one = asked.get(0);
    assertEquals(2000, one.unit.toMillis(one.initialDelay));
    assertEquals(500, one.unit.toMillis(one.delay));
  }

  @Test
  void aRunThatThrowsIsLoggedAndTheNextRunComes() {
    List<Integer> runs = new ArrayList<>();
    schedules.withFixedDelay(
        "Reconciliation",
        Duration.ZERO,
        Duration.ofSeconds(1),
        () -> {
          runs.add(runs.size() + 1);
          if (runs.size() == 1) {
            throw new IllegalStateException("the database is away");
          }
        });
    Runnable run = asked.get(0).run;

    run.run(); // does not throw: the executor would end the task
    run.run();

    assertEquals(List.of(1, 2), runs);
    assertEquals(1, logged.size());
    assertEquals(Level.WARNING, logged.get(0).getLevel());
    assertTrue(logged.get(0).getMessage().startsWith("Reconciliation failed"));
    assertEquals("the database is away", logged.get(0).getThrown().getMessage());
  }

  @Test
  void aCancelledTaskRunsNoMore() {
    List<String> runs = new ArrayList<>();
    Schedules.Task task =
        schedules.withFixedDelay("Pass", Duration.ZERO, Duration.ofSeconds(1), () -> runs.add("x"));
    asked.get(0).run.run();

    task.cancel();
    asked.get(0).run.run(); // a run the executor had started already

    assertEquals(List.of("x"), runs);
    assertTrue(asked.get(0).future.isCancelled());
  }

  @Test
  void everyTaskStopsWhenTheApplicationStops() {
    List<String> runs = new ArrayList<>();
    schedules.withFixedDelay("A", Duration.ZERO, Duration.ofSeconds(1), () -> runs.add("a"));
    schedules.withFixedDelay("B", Duration.ZERO, Duration.ofSeconds(1), () -> runs.add("b"));

    schedules.applicationStopping(new Object());
    asked.forEach(a -> a.run.run());

    assertEquals(List.of(), runs);
    assertTrue(asked.stream().allMatch(a -> a.future.isCancelled()));
  }

  @Test
  void nothingStartsOnceTheApplicationIsStopping() {
    schedules.stopAll();
    Schedules.Task late =
        schedules.withFixedDelay("Late", Duration.ZERO, Duration.ofSeconds(1), () -> {});
    assertTrue(asked.isEmpty());
    late.cancel(); // harmless
    assertFalse(logged.stream().anyMatch(r -> r.getLevel().intValue() >= Level.WARNING.intValue()));
  }

  /** A scheduled future that is only ever cancelled. */
  private record FakeFuture(CompletableFuture<Void> future)
      implements java.util.concurrent.ScheduledFuture<Void> {
    @Override
    public long getDelay(TimeUnit unit) {
      return 0;
    }

    @Override
    public int compareTo(java.util.concurrent.Delayed other) {
      return 0;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return future.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean isCancelled() {
      return future.isCancelled();
    }

    @Override
    public boolean isDone() {
      return future.isDone();
    }

    @Override
    public Void get() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Void get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }
  }
}

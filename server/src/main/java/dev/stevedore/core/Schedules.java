package dev.stevedore.core;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's background tasks that run again and again, a fixed delay after each run ends (the
 * dispatcher's pass, reconciliation, sampling, cleanup, webhook delivery, heartbeats), on the
 * server's managed scheduled executor.
 *
 * <p>A run that throws is logged and the next run comes as planned: a scheduled executor left to
 * itself would end the task silently at its first exception. Every task stops when the application
 * stops, before any of its beans is destroyed, so no run meets a bean that is gone; a run under way
 * then is let finish.
 */
@ApplicationScoped
public class Schedules {

  private static final Logger LOG = Logger.getLogger(Schedules.class.getName());

  @Resource ManagedScheduledExecutorService managed;

  private final Set<Task> tasks = ConcurrentHashMap.newKeySet();
  private volatile boolean stopped;

  /** A task on a schedule, until it is cancelled or the application stops. */
  public interface Task {

    /** Stops the task: no further run starts; a run under way is let finish. */
    void cancel();
  }

  /**
   * Runs {@code task} after {@code initialDelay}, then again {@code delay} after each run ends.
   *
   * @param name what the task does, for the log ("Reconciliation")
   */
  public Task withFixedDelay(String name, Duration initialDelay, Duration delay, Runnable task) {
    Scheduled scheduled = new Scheduled(name, task);
    if (stopped) {
      return scheduled; // the application is stopping: nothing starts any more
    }
    tasks.add(scheduled);
    scheduled.future =
        executor()
            .scheduleWithFixedDelay(
                scheduled::runOnce,
                initialDelay.toMillis(),
                Math.max(1, delay.toMillis()),
                TimeUnit.MILLISECONDS);
    if (scheduled.cancelled) {
      scheduled.cancel(); // cancelled before its future was known
    }
    return scheduled;
  }

  /** The executor the tasks run on. */
  ScheduledExecutorService executor() {
    return managed;
  }

  /** Before the application's beans are destroyed. */
  void applicationStopping(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
    stopAll();
  }

  @PreDestroy
  void stopAll() {
    stopped = true;
    for (Task task : List.copyOf(tasks)) {
      task.cancel();
    }
  }

  private final class Scheduled implements Task {

    private final String name;
    private final Runnable task;
    private volatile ScheduledFuture<?> future;
    private volatile boolean cancelled;

    Scheduled(String name, Runnable task) {
      this.name = name;
      this.task = task;
    }

    void runOnce() {
      if (cancelled) {
        return;
      }
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, name + " failed; the next run tries again", e);
      } catch (Error e) {
        LOG.log(Level.SEVERE, name + " failed and stops", e);
        throw e;
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
      tasks.remove(this);
      ScheduledFuture<?> scheduled = future;
      if (scheduled != null) {
        scheduled.cancel(false);
      }
    }
  }
}

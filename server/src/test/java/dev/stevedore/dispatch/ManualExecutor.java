package dev.stevedore.dispatch;

import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server's executors, driven by the test: a task handed to {@code execute} waits until the test
 * runs it ({@link #runNext}, {@link #runAll}), and a task scheduled for later runs only when the
 * test says its time has come ({@link #fireScheduled}). Nothing depends on the clock, and every
 * interleaving a test needs can be written down.
 */
public final class ManualExecutor {

  /** A task scheduled for later, and whether it was cancelled. */
  static final class Timer implements ScheduledFuture<Object> {
    final Runnable task;
    final long delayMillis;
    private boolean cancelled;
    private boolean done;

    Timer(Runnable task, long delayMillis) {
      this.task = task;
      this.delayMillis = delayMillis;
    }

    @Override
    public synchronized boolean cancel(boolean mayInterrupt) {
      if (done) {
        return false;
      }
      cancelled = true;
      done = true;
      return true;
    }

    @Override
    public synchronized boolean isCancelled() {
      return cancelled;
    }

    @Override
    public synchronized boolean isDone() {
      return done;
    }

    @Override
    public Object get() {
      return null;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      return null;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(delayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(delayMillis, other.getDelay(TimeUnit.MILLISECONDS));
    }

    /** Runs the task unless it was cancelled or has run. */
    void fire() {
      synchronized (this) {
        if (done) {
          return;
        }
        done = true;
      }
      task.run();
    }
  }

  private final Deque<Runnable> tasks = new ArrayDeque<>();
  private final List<Timer> timers = new ArrayList<>();

  /** Runs the oldest waiting task, if there is one; tells whether there was. */
  public boolean runNext() {
    Runnable task;
    synchronized (this) {
      task = tasks.poll();
    }
    if (task == null) {
      return false;
    }
    task.run();
    return true;
  }

  /** Runs the task handed over last, before those waiting longer; tells whether there was one. */
  public boolean runNewest() {
    Runnable task;
    synchronized (this) {
      task = tasks.pollLast();
    }
    if (task == null) {
      return false;
    }
    task.run();
    return true;
  }

  /** Runs waiting tasks, and those they hand over in turn, until none waits. */
  public void runAll() {
    while (runNext()) {
      // the next one
    }
  }

  public synchronized int pending() {
    return tasks.size();
  }

  /** The tasks scheduled for later, in order, cancelled ones included. */
  synchronized List<Timer> timers() {
    return List.copyOf(timers);
  }

  /** Their time has come for every scheduled task not cancelled: each runs once. */
  public void fireScheduled() {
    timers().forEach(Timer::fire);
  }

  public ManagedExecutorService executor() {
    return service(ManagedExecutorService.class);
  }

  public ManagedScheduledExecutorService scheduler() {
    return service(ManagedScheduledExecutorService.class);
  }

  private synchronized void execute(Runnable task) {
    tasks.add(task);
  }

  private synchronized Timer schedule(Runnable task, long delay, TimeUnit unit) {
    Timer timer = new Timer(task, unit.toMillis(delay));
    timers.add(timer);
    return timer;
  }

  /** Only {@code execute} and a one-off {@code schedule} of a runnable: what the server uses. */
  private <T> T service(Class<T> type) {
    Object proxy =
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> {
              String name = method.getName();
              if (name.equals("execute")) {
                execute((Runnable) args[0]);
                return null;
              }
              if (name.equals("schedule") && args.length == 3 && args[0] instanceof Runnable r) {
                return schedule(r, (Long) args[1], (TimeUnit) args[2]);
              }
              if (name.equals("toString")) {
                return "ManualExecutor";
              }
              if (name.equals("hashCode")) {
                return System.identityHashCode(self);
              }
              if (name.equals("equals")) {
                return self == args[0];
              }
              throw new UnsupportedOperationException(method.toString());
            });
    return type.cast(proxy);
  }
}

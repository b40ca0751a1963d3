package dev.stevedore.logs;

import dev.stevedore.core.JobId;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Hands each line of a job's output, as it is stored, to whoever follows the job now. The publisher
 * (the container's log stream) never waits for a follower: each follower decides for itself what to
 * do with a line it cannot pass on fast enough.
 */
@ApplicationScoped
public class LiveLogs {

  /** Someone following a job's output. */
  public interface Follower {
    void line(LogLine line);
  }

  private final Map<JobId, Set<Follower>> followers = new ConcurrentHashMap<>();
  private final Set<java.util.function.BiConsumer<JobId, LogLine>> watchers =
      new CopyOnWriteArraySet<>();

  /** Hears every line of every job (webhook log patterns). */
  public void watchAll(java.util.function.BiConsumer<JobId, LogLine> watcher) {
    watchers.add(watcher);
  }

  public void follow(JobId job, Follower follower) {
    followers.computeIfAbsent(job, k -> new CopyOnWriteArraySet<>()).add(follower);
  }

  public void unfollow(JobId job, Follower follower) {
    followers.computeIfPresent(
        job,
        (k, set) -> {
          set.remove(follower);
          return set.isEmpty() ? null : set;
        });
  }

  void publish(JobId job, LogLine line) {
    for (var watcher : watchers) {
      try {
        watcher.accept(job, line);
      } catch (RuntimeException e) {
        java.util.logging.Logger.getLogger(LiveLogs.class.getName())
            .log(java.util.logging.Level.WARNING, "A log watcher failed for job " + job, e);
      }
    }
    Set<Follower> set = followers.get(job);
    if (set != null) {
      for (Follower follower : set) {
        follower.line(line);
      }
    }
  }
}

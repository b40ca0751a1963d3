package dev.stevedore.job;

import dev.stevedore.core.JobId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells whoever waits for a job's end when it has ended for good, as this node hears it. A job that
 * ends on another node is not heard: waiters look at the database now and then as well.
 */
@ApplicationScoped
public class JobEnds {

  /** By the job's id as text: callers that hold an id as stored need not parse it. */
  private final Map<String, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();

  /** A future completed when the job ends; {@link #forget} it when no longer waited for. */
  public CompletableFuture<Void> of(JobId job) {
    return of(job.value());
  }

  public CompletableFuture<Void> of(String job) {
    CompletableFuture<Void> end = new CompletableFuture<>();
    waiting.computeIfAbsent(job, k -> ConcurrentHashMap.newKeySet()).add(end);
    return end;
  }

  public void forget(JobId job, CompletableFuture<Void> end) {
    forget(job.value(), end);
  }

  public void forget(String job, CompletableFuture<Void> end) {
    waiting.computeIfPresent(
        job,
        (k, set) -> {
          set.remove(end);
          return set.isEmpty() ? null : set;
        });
  }

  public void onStateChange(
      @Observes(during = TransactionPhase.AFTER_SUCCESS) JobStateChanged change) {
    if (change.terminal()) {
      Set<CompletableFuture<Void>> ends = waiting.remove(change.jobId().value());
      if (ends != null) {
        ends.forEach(end -> end.complete(null));
      }
    }
  }
}

package dev.stevedore.batch;

import dev.stevedore.core.LimitExceededException;
import dev.stevedore.job.JobState;
import dev.stevedore.job.JobStateChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Runs one work item as an ordinary Stevedore job and waits for its end. An item whose job was
 * started before (by an execution that was stopped or died) is not started again while that job can
 * still end well: its end is awaited instead.
 */
@ApplicationScoped
public class ItemRunner {

  private static final Logger LOG = Logger.getLogger(ItemRunner.class.getName());
  // A fallback: this node's own jobs wake the wait at once; others' are seen at the next poll.
  private static final long POLL_SECONDS = 5;

  @Inject BatchStore store;
  @Inject ItemJobs itemJobs;

  private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

  /** How an item's job ended. */
  public record Outcome(JobState state, Integer exitCode, String reason) {}

  /** The item's job: the one it has if that can still end well, else a new one. */
  String jobFor(Batch batch, BatchItem item) {
    if (item.state() == BatchItem.State.RUNNING && item.jobId() != null) {
      Outcome before = itemJobs.outcome(item.jobId());
      if (before != null
          && (before.state() == JobState.SUCCEEDED || !before.state().isFinished())) {
        return item.jobId(); // still queued or running, or it succeeded: no second run
      }
    }
    while (true) {
      try {
        return itemJobs.start(batch, item);
      } catch (LimitExceededException e) {
        // The tenant's queue is full: wait for room like any client would.
        LOG.fine(() -> "Batch " + batch.id() + " waits for queue room: " + e.getMessage());
        sleep(5);
        if (store.stopRequestedNow(batch.id())) {
          throw new ItemInterruptedException();
        }
      }
    }
  }

  /**
   * Waits for the job to end for good. Bounded by a Fault Tolerance timeout as a last resort, as
   * long as the longest chunk transaction (30 days): the job's own deadline ends it first.
   */
  @Timeout(value = 720, unit = java.time.temporal.ChronoUnit.HOURS)
  public Outcome awaitEnd(String jobId) {
    CompletableFuture<Void> ended = waiting.computeIfAbsent(jobId, k -> new CompletableFuture<>());
    try {
      while (true) {
        Outcome now = itemJobs.outcome(jobId);
        if (now == null) {
          return new Outcome(JobState.FAILED, null, "its job was deleted");
        }
        if (now.state().isFinished()) {
          return now; // a retry requeues in the same transaction: a stored end is final
        }
        try {
          ended.get(POLL_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
          // poll again: the job may have ended on another node, whose events this one misses
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ItemInterruptedException();
    } finally {
      waiting.remove(jobId);
    }
  }

  void onStateChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobStateChanged change) {
    if (change.terminal()) {
      CompletableFuture<Void> ended = waiting.get(change.jobId().value());
      if (ended != null) {
        ended.complete(null);
      }
    }
  }

  private static void sleep(long seconds) {
    try {
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ItemInterruptedException();
    }
  }
}

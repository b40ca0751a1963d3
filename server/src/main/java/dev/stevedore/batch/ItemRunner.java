package dev.stevedore.batch;

import dev.stevedore.core.LimitExceededException;
import dev.stevedore.job.JobEnds;
import dev.stevedore.job.JobState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

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

  @Inject BatchRepository store;
  @Inject ItemJobs itemJobs;
  @Inject JobEnds ends;

  /** The outcome of an item whose job did not end within {@link #waitLimit}. */
  static final String NO_END = "no end within the batch's wait limit";

  /**
   * How long an item's job is awaited at most: as long as the longest chunk transaction. A last
   * resort, since the job's own deadline ends it first.
   */
  Duration waitLimit = BatchService.LONGEST_CHUNK;

  /** How an item's job ended. */
  public record Outcome(JobState state, Integer exitCode, String reason) {}

  /** The item's job: the one it has if that can still end well, else a new one. */
  String jobFor(Batch batch, BatchItem item) {
    if (item.state() == BatchItemState.RUNNING && item.jobId() != null) {
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

  /** Whether the job has succeeded already, read fresh. */
  boolean hasSucceeded(String jobId) {
    Outcome now = itemJobs.outcome(jobId);
    return now != null && now.state() == JobState.SUCCEEDED;
  }

  /**
   * Waits for the job to end for good, at most {@link #waitLimit}: a job that has not ended by then
   * counts as FAILED for the item.
   */
  public Outcome awaitEnd(String jobId) {
    Instant giveUpAt = Instant.now().plus(waitLimit);
    CompletableFuture<Void> ended = ends.of(jobId);
    try {
      while (true) {
        Outcome now = itemJobs.outcome(jobId);
        if (now == null) {
          return new Outcome(JobState.FAILED, null, "its job was deleted");
        }
        if (now.state().isFinished()) {
          return now; // a retry requeues in the same transaction: a stored end is final
        }
        long left = Duration.between(Instant.now(), giveUpAt).toMillis();
        if (left <= 0) {
          return new Outcome(JobState.FAILED, null, NO_END);
        }
        try {
          ended.get(Math.min(left, TimeUnit.SECONDS.toMillis(POLL_SECONDS)), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
          // poll again: the job may have ended on another node, whose events this one misses
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ItemInterruptedException();
    } finally {
      ends.forget(jobId, ended);
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

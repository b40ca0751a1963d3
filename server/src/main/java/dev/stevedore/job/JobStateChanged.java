package dev.stevedore.job;

import dev.stevedore.core.JobId;
import java.time.Duration;
import java.time.Instant;

/**
 * Fired once for each state change, inside the transaction that stores it. Observers that act on it
 * use {@code during = TransactionPhase.AFTER_SUCCESS}, so they never see a change that was rolled
 * back.
 *
 * <p>{@code since} is when the job entered {@code from} (the change's own time for a new job), so
 * that observers can tell how long it stayed there. {@code terminal} says the job ends here for
 * good: an attempt that failed and is retried changes to FAILED without being terminal.
 */
public record JobStateChanged(
    JobId jobId,
    String tenant,
    JobState from,
    JobState to,
    int attempt,
    Integer exitCode,
    String reason,
    Instant at,
    Instant since,
    boolean terminal) {

  /** How long the job stayed in {@code from}. */
  public Duration timeIn() {
    return Duration.between(since, at);
  }
}

package dev.stevedore.job;

import java.time.Instant;

/**
 * Fired once for each state change, inside the transaction that stores it. Observers that act on it
 * use {@code during = TransactionPhase.AFTER_SUCCESS}, so they never see a change that was rolled
 * back.
 */
public record JobStateChanged(
    JobId jobId,
    String tenant,
    JobState from,
    JobState to,
    int attempt,
    Integer exitCode,
    String reason,
    Instant at) {}

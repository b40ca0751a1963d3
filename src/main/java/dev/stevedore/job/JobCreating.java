package dev.stevedore.job;

/**
 * Fired inside the transaction that stores a new job, before its first state change is announced:
 * what the job brings with it (its callbacks) is stored in the same transaction. An observer that
 * refuses the job throws, and nothing is stored.
 */
public record JobCreating(JobId jobId, String tenant, JobSpec spec) {}

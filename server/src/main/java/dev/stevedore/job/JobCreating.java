package dev.stevedore.job;

import dev.stevedore.core.JobId;

/**
 * Fired inside the transaction that stores a new job, before its first state change is announced:
 * what the job brings with it (its callbacks) is stored in the same transaction. The spec was
 * checked before ({@link JobSpecChecking}); an observer that still fails makes nothing be stored.
 */
public record JobCreating(JobId jobId, String tenant, JobSpec spec) {}

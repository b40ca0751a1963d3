package dev.stevedore.job;

/**
 * Fired when a job spec is checked, before anything is stored: a feature that owns part of the spec
 * (the webhooks own its callbacks) refuses it here by throwing. Refusing it later, inside the
 * transaction that stores the job, would make an answer to bad input look like a server fault.
 */
public record JobSpecChecking(JobSpec spec) {}

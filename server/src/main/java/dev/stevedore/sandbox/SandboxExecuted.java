package dev.stevedore.sandbox;

/** A command in a sandbox ended: heard by the event streams and the metrics. */
public record SandboxExecuted(
    String sandbox,
    String tenant,
    String exec,
    Integer exitCode,
    boolean timedOut,
    long durationMs) {}

package dev.stevedore.runtime;

import java.time.Instant;

/**
 * How a container ended.
 *
 * @param exitCode the main process's exit code
 * @param oomKilled the kernel killed it for exceeding its memory limit
 * @param error the engine's own error message, if it had one
 * @param finishedAt when it ended, by the engine's clock; null if the engine did not say
 * @param startedAt when it started, by the engine's clock; null if the engine did not say
 */
public record ContainerExit(
    int exitCode, boolean oomKilled, String error, Instant finishedAt, Instant startedAt) {}

package dev.stevedore.runtime;

/**
 * How a container ended.
 *
 * @param exitCode the main process's exit code
 * @param oomKilled the kernel killed it for exceeding its memory limit
 * @param error the engine's own error message, if it had one
 */
public record ContainerExit(int exitCode, boolean oomKilled, String error) {}

package dev.stevedore.runtime;

/**
 * What the engine knows of a container now.
 *
 * @param running its main process runs (or is paused or restarting)
 * @param exit how it ended, once it has
 */
public record ContainerStatus(String id, boolean running, ContainerExit exit) {}

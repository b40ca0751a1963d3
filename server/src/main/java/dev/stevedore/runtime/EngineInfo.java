package dev.stevedore.runtime;

import java.util.Set;

/**
 * What the engine says of itself, and how much it holds now. {@code id} is the engine's own id and
 * its root directory ({@code ID@/var/lib/docker}): nodes that see the same one share an engine.
 */
public record EngineInfo(
    String id,
    String endpoint,
    String version,
    String apiVersion,
    String os,
    Set<String> runtimes,
    String storageDriver,
    int containersRunning,
    int images) {}

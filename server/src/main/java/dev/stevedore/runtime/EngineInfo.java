package dev.stevedore.runtime;

import java.util.Set;

/** What the engine says of itself, and how much it holds now. */
public record EngineInfo(
    String endpoint,
    String version,
    String apiVersion,
    String os,
    Set<String> runtimes,
    String storageDriver,
    int containersRunning,
    int images) {}

package dev.stevedore.runtime;

import java.util.Set;

/** What the engine says of itself. */
public record EngineInfo(
    String endpoint, String version, String apiVersion, String os, Set<String> runtimes) {}

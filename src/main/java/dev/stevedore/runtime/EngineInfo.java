package dev.stevedore.runtime;

/** What the engine says of itself. */
public record EngineInfo(String endpoint, String version, String apiVersion, String os) {}

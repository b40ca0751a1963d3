package dev.stevedore.runtime;

import java.util.Map;

/** A container that carries the orchestrator's labels. */
public record ManagedContainer(String id, String name, String state, Map<String, String> labels) {}

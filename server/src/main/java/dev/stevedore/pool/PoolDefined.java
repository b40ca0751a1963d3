package dev.stevedore.pool;

/** A pool was created, changed or removed; its containers follow once the change commits. */
public record PoolDefined(String name) {}

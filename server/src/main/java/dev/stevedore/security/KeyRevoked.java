package dev.stevedore.security;

/**
 * A key was revoked: fired in the revoking transaction, observed after its commit by whatever still
 * holds access granted to that key (tickets, open WebSocket streams).
 */
public record KeyRevoked(String keyId) {}

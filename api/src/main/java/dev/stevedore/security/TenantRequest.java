package dev.stevedore.security;

/** What a client sends to make or change a tenant; null quotas mean the server's defaults. */
public record TenantRequest(String id, String name, Integer maxRunning, Integer maxQueued) {}

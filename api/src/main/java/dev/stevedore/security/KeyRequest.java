package dev.stevedore.security;

/** What a client sends to make a key; the role in any case ({@code VIEWER}, {@code viewer}). */
public record KeyRequest(String name, String role, String tenant) {}

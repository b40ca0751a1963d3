package dev.stevedore.rest;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Headers on every answer under {@code /api} and {@code /ws}: browsers must not guess content types
 * nor send this server's addresses on as referrers, and nothing in between may keep a copy. Every
 * API answer is someone's data (keys and webhook secrets are shown once, logs and outputs belong to
 * a tenant), so {@code no-store} holds for all of them, not only for key responses.
 */
public final class SecurityHeaders {

  private SecurityHeaders() {}

  public static void apply(HttpServletResponse response) {
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Cache-Control", "no-store");
  }
}

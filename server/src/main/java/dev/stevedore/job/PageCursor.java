package dev.stevedore.job;

import dev.stevedore.core.InvalidInputException;
import dev.stevedore.core.JobId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code cursor} of job listings: where the previous page ended. Listings are ordered by
 * id, and ids grow with time, so a cursor stays valid while jobs are added.
 */
public record PageCursor(JobId after) {

  private static final String PREFIX = "j1:";

  static String after(JobId last) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((PREFIX + last.value()).getBytes(StandardCharsets.UTF_8));
  }

  /** Reads a {@code cursor} query parameter; one this server did not make is a 400. */
  public static PageCursor valueOf(String text) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      if (decoded.startsWith(PREFIX)) {
        return new PageCursor(new JobId(decoded.substring(PREFIX.length())));
      }
    } catch (IllegalArgumentException malformed) {
      // Reported below.
    }
    throw InvalidInputException.forField("cursor", "not a cursor returned by this API");
  }
}

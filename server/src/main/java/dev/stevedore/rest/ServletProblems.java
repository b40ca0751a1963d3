package dev.stevedore.rest;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Problem documents for the answers given before a request reaches the REST API or a WebSocket
 * endpoint (authentication, origin, routes the API does not hold): the same shape as {@link
 * ProblemMapper}'s, written straight to the servlet response.
 */
public final class ServletProblems {

  private static final Jsonb JSONB = JsonbBuilder.create();
  private static final String TYPE_PREFIX = "urn:stevedore:problem:";

  private ServletProblems() {}

  /** A problem document of the given kind; {@code detail} and {@code instance} may be null. */
  public static Problem problem(
      int status, String slug, String title, String detail, String instance) {
    return new Problem(TYPE_PREFIX + slug, title, status, detail, instance, null);
  }

  /** The whole answer: status, type and body; nothing may be written after it. */
  public static void send(HttpServletResponse response, Problem problem) {
    if (response.isCommitted()) {
      return;
    }
    String body = JSONB.toJson(problem);
    response.setStatus(problem.status());
    response.setContentType(Problem.MEDIA_TYPE + ";charset=UTF-8");
    response.setContentLength(body.getBytes(StandardCharsets.UTF_8).length);
    try {
      response.getWriter().write(body);
      response.flushBuffer();
    } catch (IOException e) {
      // The client has gone; nothing to tell it.
    }
  }
}

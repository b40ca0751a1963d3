package dev.stevedore.client;

import dev.stevedore.rest.Problem;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.cxf.jaxrs.client.ResponseExceptionMapper;

/** Turns an error answer into the typed exception for its status. */
final class Problems implements ResponseExceptionMapper<StevedoreException> {

  private final Jsonb json;

  Problems(Jsonb json) {
    this.json = json;
  }

  @Override
  public StevedoreException fromResponse(Response response) {
    return exception(
        problem(response), retryAfter(response.getHeaderString(HttpHeaders.RETRY_AFTER)));
  }

  /** The exception for a problem; pure, so that each status is easy to check. */
  static StevedoreException exception(Problem problem, Duration retryAfter) {
    return switch (problem.status()) {
      case 400, 422 -> new InvalidRequestException(problem);
      case 401 -> new NotAuthenticatedException(problem);
      case 403 -> new AccessDeniedException(problem);
      case 404 -> new NotFoundException(problem);
      case 409 -> new ConflictException(problem);
      case 413 -> new TooLargeException(problem);
      case 429 -> new LimitExceededException(problem, retryAfter);
      case 503 -> new UnavailableException(problem, retryAfter);
      default -> new StevedoreException(problem);
    };
  }

  /** The problem document of an answer, or one made from its status when it has none. */
  Problem problem(Response response) {
    String body = text(response);
    MediaType type = response.getMediaType();
    if (type != null && type.getSubtype().endsWith("json") && !body.isBlank()) {
      try {
        Problem problem = json.fromJson(body, Problem.class);
        if (problem != null && problem.status() == response.getStatus()) {
          return problem;
        }
      } catch (JsonbException e) {
        // Not a problem document after all: described by its status below.
      }
    }
    String detail = body.isBlank() || body.length() > 500 ? null : body.strip();
    return new Problem(
        "about:blank",
        response.getStatusInfo().getReasonPhrase(),
        response.getStatus(),
        detail,
        null,
        null);
  }

  /** The body as it came: read raw, as no JSON reader must turn it into something else first. */
  private static String text(Response response) {
    if (response.getEntity() instanceof InputStream in) {
      try (in) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }
    return response.hasEntity() ? String.valueOf(response.getEntity()) : "";
  }

  /** A Retry-After in seconds; the HTTP-date form is not used by the server. */
  static Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

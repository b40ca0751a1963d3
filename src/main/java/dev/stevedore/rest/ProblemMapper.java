package dev.stevedore.rest;

import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where failures become HTTP answers: every error the API gives is an RFC 9457
 * problem document, and none carries a stack trace.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());
  private static final String TYPE_PREFIX = "urn:stevedore:problem:";

  @Context UriInfo uriInfo;

  @Override
  public Response toResponse(Throwable failure) {
    if (failure instanceof TooManyRequestsException e) {
      return Response.fromResponse(
              problem(e.status(), e.slug(), e.title(), e.getMessage(), e.errors()))
          .header("Retry-After", e.retryAfterSeconds())
          .build();
    }
    if (failure instanceof ApiException e) {
      return problem(e.status(), e.slug(), e.title(), e.getMessage(), e.errors());
    }
    if (failure instanceof InvalidParameterException e) {
      return problem(
          400,
          "invalid-request",
          "The request is not valid",
          e.getMessage(),
          List.of(new Problem.FieldError(e.parameter(), e.getMessage())));
    }
    if (failure instanceof NotFoundException && failure.getCause() != null) {
      // Jakarta REST reports a path or query parameter it could not convert as a 404.
      return problem(
          400,
          "invalid-request",
          "The request is not valid",
          "A path or query parameter has a value of the wrong type",
          List.of());
    }
    if (failure instanceof WebApplicationException e) {
      return fromWebApplicationException(e);
    }
    if (isUnreadableBody(failure)) {
      return problem(
          400,
          "malformed-body",
          "The request body cannot be read",
          "The body is not well-formed JSON of the expected shape: " + rootMessage(failure),
          List.of());
    }
    String reference = UUID.randomUUID().toString();
    LOG.log(Level.SEVERE, "Unexpected failure, reference " + reference, failure);
    return problem(
        500,
        "internal-error",
        "Internal server error",
        "The server failed to handle the request; the server log names it by reference "
            + reference,
        List.of());
  }

  private Response fromWebApplicationException(WebApplicationException e) {
    Response original = e.getResponse();
    int status = original.getStatus();
    Response.StatusType statusType = Response.Status.fromStatusCode(status);
    String title = statusType != null ? statusType.getReasonPhrase() : "HTTP " + status;
    Response answer = problem(status, "http-" + status, title, null, List.of());
    String allow = original.getHeaderString(HttpHeaders.ALLOW);
    return allow == null
        ? answer
        : Response.fromResponse(answer).header(HttpHeaders.ALLOW, allow).build();
  }

  private static boolean isUnreadableBody(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof JsonbException || t instanceof ProcessingException) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }

  private Response problem(
      int status, String slug, String title, String detail, List<Problem.FieldError> errors) {
    return Response.status(status)
        .type(Problem.MEDIA_TYPE)
        .entity(problemBody(status, slug, title, detail, errors))
        .build();
  }

  private Problem problemBody(
      int status, String slug, String title, String detail, List<Problem.FieldError> errors) {
    String instance = uriInfo == null ? null : uriInfo.getRequestUri().getRawPath();
    return new Problem(
        TYPE_PREFIX + slug, title, status, detail, instance, errors.isEmpty() ? null : errors);
  }
}

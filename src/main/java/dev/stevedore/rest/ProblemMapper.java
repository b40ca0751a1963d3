package dev.stevedore.rest;

import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParsingException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where failures become HTTP answers: every error the API gives is an RFC 9457
 * problem document, and none carries a stack trace.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());
  private static final String TYPE_PREFIX = "urn:stevedore:problem:";
  // JSON-B's (Yasson's) message for a property the target type does not have.
  private static final Pattern UNKNOWN_PROPERTY =
      Pattern.compile("Json property (\\S+) can not be mapped");

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
      return unreadableBody(failure);
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

  /**
   * A body that cannot be read. The parser's own messages name the server's classes and parser
   * states, so they are never passed on: the answer says where the JSON breaks, or which field is
   * unknown, or only that a value has the wrong shape.
   */
  private Response unreadableBody(Throwable failure) {
    String detail = "The body is not JSON of the expected shape: a value has the wrong type";
    List<Problem.FieldError> errors = List.of();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof JsonParsingException parsing && parsing.getLocation() != null) {
        detail =
            "The body is not well-formed JSON (line "
                + parsing.getLocation().getLineNumber()
                + ", column "
                + parsing.getLocation().getColumnNumber()
                + ")";
        break;
      }
      Matcher unknown = t.getMessage() == null ? null : UNKNOWN_PROPERTY.matcher(t.getMessage());
      if (unknown != null && unknown.find()) {
        detail = "The body has a field the request does not know: " + unknown.group(1);
        errors = List.of(new Problem.FieldError(unknown.group(1), "unknown field"));
        break;
      }
    }
    return problem(400, "malformed-body", "The request body cannot be read", detail, errors);
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

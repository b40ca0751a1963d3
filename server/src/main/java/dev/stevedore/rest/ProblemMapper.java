package dev.stevedore.rest;

import dev.stevedore.core.AccessDeniedException;
import dev.stevedore.core.ConflictException;
import dev.stevedore.core.DomainException;
import dev.stevedore.core.FieldError;
import dev.stevedore.core.InputTooLargeException;
import dev.stevedore.core.InvalidInputException;
import dev.stevedore.core.LimitExceededException;
import dev.stevedore.core.UnavailableException;
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
import java.util.function.Function;
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

  /**
   * The one table from what went wrong to how the API answers it: status, problem type (after
   * {@value #TYPE_PREFIX}) and title. The first rule whose class matches wins.
   */
  private static final List<Rule<?>> RULES =
      List.of(
          new Rule<>(
              InvalidInputException.class,
              400,
              e -> "invalid-request",
              e -> "The request is not valid"),
          new Rule<>(
              AccessDeniedException.class, 403, e -> "forbidden", e -> "Not allowed for this key"),
          new Rule<>(
              dev.stevedore.core.NotFoundException.class,
              404,
              e -> e.thing() + "-not-found",
              e -> "No such " + e.thing()),
          new Rule<>(
              ConflictException.class, 409, ConflictException::reason, ConflictException::summary),
          new Rule<>(
              InputTooLargeException.class,
              413,
              e -> "payload-too-large",
              e -> "The request is too large"),
          new Rule<>(
              LimitExceededException.class,
              429,
              e -> "too-many-requests",
              e -> "Too many requests"),
          new Rule<>(
              UnavailableException.class,
              503,
              UnavailableException::reason,
              UnavailableException::summary));

  private record Rule<E extends DomainException>(
      Class<E> type, int status, Function<E, String> slug, Function<E, String> title) {

    Response answer(ProblemMapper mapper, DomainException failure) {
      E e = type.cast(failure);
      return mapper.problem(status, slug.apply(e), title.apply(e), e.getMessage(), e.errors());
    }
  }

  @Override
  public Response toResponse(Throwable failure) {
    if (failure instanceof DomainException e) {
      return fromDomain(e);
    }
    if (failure instanceof InvalidParameterException e) {
      return problem(
          400,
          "invalid-request",
          "The request is not valid",
          e.getMessage(),
          List.of(new FieldError(e.parameter(), e.getMessage())));
    }
    if (failure instanceof NotFoundException && failure.getCause() != null) {
      // Jakarta REST reports a path or query parameter it could not convert as a 404.
      for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
        if (t instanceof InvalidInputException refused) {
          return fromDomain(refused);
        }
      }
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

  private Response fromDomain(DomainException failure) {
    for (Rule<?> rule : RULES) {
      if (rule.type().isInstance(failure)) {
        Response answer = rule.answer(this, failure);
        return failure instanceof LimitExceededException limit
            ? Response.fromResponse(answer).header("Retry-After", limit.retryAfterSeconds()).build()
            : answer;
      }
    }
    throw new IllegalStateException("no problem rule for " + failure.getClass());
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
    List<FieldError> errors = List.of();
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
        errors = List.of(new FieldError(unknown.group(1), "unknown field"));
        break;
      }
    }
    return problem(400, "malformed-body", "The request body cannot be read", detail, errors);
  }

  private Response problem(
      int status, String slug, String title, String detail, List<FieldError> errors) {
    return Response.status(status)
        .type(Problem.MEDIA_TYPE)
        .entity(problemBody(status, slug, title, detail, errors))
        .build();
  }

  private Problem problemBody(
      int status, String slug, String title, String detail, List<FieldError> errors) {
    String instance = uriInfo == null ? null : uriInfo.getRequestUri().getRawPath();
    return new Problem(
        TYPE_PREFIX + slug, title, status, detail, instance, errors.isEmpty() ? null : errors);
  }
}

package dev.stevedore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.stevedore.core.FieldError;
import dev.stevedore.rest.Problem;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProblemsTest {

  private static Problem problem(int status) {
    return new Problem("about:blank", "Title", status, "what went wrong", "/api/v1/jobs", null);
  }

  @Test
  void eachStatusHasItsException() {
    assertInstanceOf(InvalidRequestException.class, Problems.exception(problem(400), null));
    assertInstanceOf(NotAuthenticatedException.class, Problems.exception(problem(401), null));
    assertInstanceOf(AccessDeniedException.class, Problems.exception(problem(403), null));
    assertInstanceOf(NotFoundException.class, Problems.exception(problem(404), null));
    assertInstanceOf(ConflictException.class, Problems.exception(problem(409), null));
    assertInstanceOf(TooLargeException.class, Problems.exception(problem(413), null));
    assertInstanceOf(LimitExceededException.class, Problems.exception(problem(429), null));
    assertInstanceOf(UnavailableException.class, Problems.exception(problem(503), null));
    assertEquals(StevedoreException.class, Problems.exception(problem(500), null).getClass());
  }

  @Test
  void theMessageSaysStatusTitleDetailAndFields() {
    Problem invalid =
        new Problem(
            "about:blank",
            "Invalid input",
            400,
            "The request is invalid",
            null,
            List.of(new FieldError("timeoutSeconds", "must be positive")));

    StevedoreException e = Problems.exception(invalid, null);

    assertEquals(
        "400 Invalid input: The request is invalid\n  timeoutSeconds: must be positive",
        e.getMessage());
    assertEquals(List.of(new FieldError("timeoutSeconds", "must be positive")), e.fieldErrors());
  }

  @Test
  void retryAfterIsReadInSeconds() {
    LimitExceededException e =
        (LimitExceededException) Problems.exception(problem(429), Problems.retryAfter(" 7 "));

    assertEquals(Optional.of(Duration.ofSeconds(7)), e.retryAfter());
    assertNull(Problems.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"));
    assertNull(Problems.retryAfter(null));
  }

  @Test
  void logLinesAreReadWithTimeAndStream() {
    LogLine line = LogLine.parse("2026-12-07T21:00:00.123Z stderr oh no: it broke");
    assertEquals("stderr", line.stream());
    assertEquals("oh no: it broke", line.text());
    assertEquals(true, line.isStderr());
    assertEquals("", LogLine.parse("2026-12-07T21:00:00Z stdout").text());
    assertEquals("not timed", LogLine.parse("not timed").text());
  }
}

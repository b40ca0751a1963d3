package dev.stevedore.client;

import dev.stevedore.core.FieldError;
import dev.stevedore.rest.Problem;
import java.util.List;

/**
 * The server refused or failed a call: its problem document ({@code application/problem+json}) with
 * the HTTP status. The subclasses name the statuses a caller usually handles apart.
 */
public class StevedoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Problem problem;

  public StevedoreException(Problem problem) {
    super(message(problem));
    this.problem = problem;
  }

  /** The problem document as the server sent it (or as made from a bare status). */
  public Problem problem() {
    return problem;
  }

  public int status() {
    return problem.status();
  }

  /** For invalid input: the offending fields, else empty. */
  public List<FieldError> fieldErrors() {
    return problem.errors() == null ? List.of() : problem.errors();
  }

  private static String message(Problem problem) {
    StringBuilder text = new StringBuilder().append(problem.status()).append(' ');
    text.append(problem.title() == null ? "" : problem.title());
    if (problem.detail() != null && !problem.detail().isBlank()) {
      text.append(": ").append(problem.detail());
    }
    if (problem.errors() != null) {
      for (FieldError error : problem.errors()) {
        text.append("\n  ").append(error.field()).append(": ").append(error.message());
      }
    }
    return text.toString();
  }
}

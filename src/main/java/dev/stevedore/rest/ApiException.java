package dev.stevedore.rest;

import java.util.List;

/**
 * A failure that the API reports to its caller as a problem document. Services throw the subclasses
 * that name what went wrong; {@link ProblemMappers} turns them into responses.
 */
public abstract class ApiException extends RuntimeException {

  private final int status;
  private final String slug;
  private final String title;
  private final List<Problem.FieldError> errors;

  protected ApiException(
      int status, String slug, String title, String detail, List<Problem.FieldError> errors) {
    super(detail);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.errors = List.copyOf(errors);
  }

  protected ApiException(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, List.of());
  }

  public int status() {
    return status;
  }

  /** The short name of the problem type, the last part of its URI. */
  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  public List<Problem.FieldError> errors() {
    return errors;
  }
}

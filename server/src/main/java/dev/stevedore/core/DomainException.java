package dev.stevedore.core;

import java.util.List;

/**
 * A refusal or failure that names what went wrong in the application's own terms. The subclasses
 * say which kind; none knows about HTTP.
 */
public abstract class DomainException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<FieldError> errors;

  protected DomainException(String detail, List<FieldError> errors) {
    super(detail);
    this.errors = List.copyOf(errors);
  }

  protected DomainException(String detail) {
    this(detail, List.of());
  }

  /** For refused input: the offending fields, empty otherwise. */
  public List<FieldError> errors() {
    return errors;
  }
}

package dev.stevedore.core;

import java.util.List;

/** Input larger than the server accepts; nothing was changed. */
public class InputTooLargeException extends DomainException {

  private static final long serialVersionUID = 1L;

  public InputTooLargeException(String detail) {
    super(detail);
  }

  /** Too large, and the field (or part) that is. */
  public InputTooLargeException(String field, String detail) {
    super(detail, List.of(new FieldError(field, detail)));
  }
}

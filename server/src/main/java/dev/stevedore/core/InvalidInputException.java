package dev.stevedore.core;

import java.util.List;

/** Input that is malformed or breaks a rule; nothing was changed. */
public class InvalidInputException extends DomainException {

  private static final long serialVersionUID = 1L;

  public InvalidInputException(String detail, List<FieldError> errors) {
    super(detail, errors);
  }

  public static InvalidInputException forField(String field, String message) {
    return new InvalidInputException(
        field + ": " + message, List.of(new FieldError(field, message)));
  }

  /** The errors, with a detail that names each: {@code field message; field message}. */
  public static InvalidInputException of(List<FieldError> errors) {
    StringBuilder detail = new StringBuilder();
    for (FieldError error : errors) {
      detail.append(detail.isEmpty() ? "" : "; ").append(error.field()).append(' ');
      detail.append(error.message());
    }
    return new InvalidInputException(detail.toString(), errors);
  }

  /** The same errors, their fields inside {@code prefix}: {@code items[3].image}. */
  public InvalidInputException prefixed(String prefix) {
    return of(
        errors().stream().map(e -> new FieldError(prefix + "." + e.field(), e.message())).toList());
  }
}

package dev.stevedore.rest;

import java.util.List;

/** The request is malformed or breaks a rule: 400, nothing was changed. */
public class InvalidRequestException extends ApiException {

  public InvalidRequestException(String detail, List<Problem.FieldError> errors) {
    super(400, "invalid-request", "The request is not valid", detail, errors);
  }

  public static InvalidRequestException forField(String field, String message) {
    return new InvalidRequestException(
        field + ": " + message, List.of(new Problem.FieldError(field, message)));
  }

  /** The errors, with a detail that names each: {@code field message; field message}. */
  public static InvalidRequestException of(List<Problem.FieldError> errors) {
    StringBuilder detail = new StringBuilder();
    for (Problem.FieldError error : errors) {
      detail.append(detail.isEmpty() ? "" : "; ").append(error.field()).append(' ');
      detail.append(error.message());
    }
    return new InvalidRequestException(detail.toString(), errors);
  }

  /** The same errors, their fields inside {@code prefix}: {@code items[3].image}. */
  public InvalidRequestException prefixed(String prefix) {
    return of(
        errors().stream()
            .map(e -> new Problem.FieldError(prefix + "." + e.field(), e.message()))
            .toList());
  }
}

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
}

package dev.stevedore.rest;

import java.util.List;

/** The request carries more than the server accepts: 413, nothing was changed. */
public class PayloadTooLargeException extends ApiException {

  public PayloadTooLargeException(String detail) {
    super(413, "payload-too-large", "The request is too large", detail);
  }

  /** Too large, and the field (or part) that is. */
  public PayloadTooLargeException(String field, String detail) {
    super(
        413,
        "payload-too-large",
        "The request is too large",
        detail,
        List.of(new Problem.FieldError(field, detail)));
  }
}

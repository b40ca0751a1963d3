package dev.stevedore.rest;

/** The request carries more than the server accepts: 413, nothing was changed. */
public class PayloadTooLargeException extends ApiException {

  public PayloadTooLargeException(String detail) {
    super(413, "payload-too-large", "The request is too large", detail);
  }
}

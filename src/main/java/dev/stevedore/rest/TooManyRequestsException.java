package dev.stevedore.rest;

/** A rate or a quota is exhausted: 429 with {@code Retry-After}. */
public class TooManyRequestsException extends ApiException {

  private final long retryAfterSeconds;

  public TooManyRequestsException(String detail, long retryAfterSeconds) {
    super(429, "too-many-requests", "Too many requests", detail);
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}

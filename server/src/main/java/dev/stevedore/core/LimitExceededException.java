package dev.stevedore.core;

/** A rate or a quota is spent; the same request may succeed after {@link #retryAfterSeconds()}. */
public class LimitExceededException extends DomainException {

  private static final long serialVersionUID = 1L;

  private final long retryAfterSeconds;

  public LimitExceededException(String detail, long retryAfterSeconds) {
    super(detail);
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}

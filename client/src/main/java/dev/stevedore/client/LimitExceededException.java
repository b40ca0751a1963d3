package dev.stevedore.client;

import dev.stevedore.rest.Problem;
import java.time.Duration;
import java.util.Optional;

/** 429: a quota or rate limit was reached; try again after {@link #retryAfter()}. */
public class LimitExceededException extends StevedoreException {

  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  public LimitExceededException(Problem problem, Duration retryAfter) {
    super(problem);
    this.retryAfter = retryAfter;
  }

  /** How long the server asked to wait, when it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}

package dev.stevedore.client;

import dev.stevedore.rest.Problem;
import java.time.Duration;
import java.util.Optional;

/**
 * 503: the server cannot do this now (its engine is down, it is full); try again after {@link
 * #retryAfter()}.
 */
public class UnavailableException extends StevedoreException {

  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  public UnavailableException(Problem problem, Duration retryAfter) {
    super(problem);
    this.retryAfter = retryAfter;
  }

  /** How long the server asked to wait, when it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}

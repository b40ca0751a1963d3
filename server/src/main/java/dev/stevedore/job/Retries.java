package dev.stevedore.job;

import java.time.Duration;
import java.util.Optional;

/** When a retry policy sends an ended attempt back to the queue, and after how long. */
final class Retries {

  /** Backoff never grows beyond a day, however many attempts are allowed. */
  static final Duration MAX_BACKOFF = Duration.ofDays(1);

  private Retries() {}

  /**
   * The wait before the next attempt, or empty if the job has had its last one. A timed-out attempt
   * has no meaningful exit code: it is retried only by a policy that names none.
   */
  static Optional<Duration> delayBeforeNext(
      JobSpec.RetryPolicy policy, int attempt, JobState end, Integer exitCode) {
    if (policy == null || (end != JobState.FAILED && end != JobState.TIMED_OUT)) {
      return Optional.empty();
    }
    int maxAttempts = policy.maxAttempts() == null ? 1 : policy.maxAttempts();
    if (attempt >= maxAttempts) {
      return Optional.empty();
    }
    var onExitCodes = policy.onExitCodes();
    if (onExitCodes != null && !onExitCodes.isEmpty()) {
      if (end == JobState.TIMED_OUT || exitCode == null || !onExitCodes.contains(exitCode)) {
        return Optional.empty();
      }
    }
    long base = policy.backoffSeconds() == null ? 0 : policy.backoffSeconds();
    long factor = 1L << Math.min(attempt - 1, 20);
    long seconds = Math.min(base * factor, MAX_BACKOFF.toSeconds());
    return Optional.of(Duration.ofSeconds(seconds));
  }
}

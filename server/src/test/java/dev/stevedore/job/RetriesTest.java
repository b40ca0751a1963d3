package dev.stevedore.job;

import static dev.stevedore.job.JobState.FAILED;
import static dev.stevedore.job.JobState.SUCCEEDED;
import static dev.stevedore.job.JobState.TIMED_OUT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetriesTest {

  private static final JobSpec.RetryPolicy ANY_FAILURE = new JobSpec.RetryPolicy(3, 10, null);
  private static final JobSpec.RetryPolicy ONLY_75 = new JobSpec.RetryPolicy(3, 10, List.of(75));

  @Test
  void backoffDoublesWithEachAttemptUntilTheLastOne() {
    assertEquals(
        Optional.of(Duration.ofSeconds(10)), Retries.delayBeforeNext(ANY_FAILURE, 1, FAILED, 1));
    assertEquals(
        Optional.of(Duration.ofSeconds(20)), Retries.delayBeforeNext(ANY_FAILURE, 2, FAILED, 1));
    assertEquals(Optional.empty(), Retries.delayBeforeNext(ANY_FAILURE, 3, FAILED, 1));
  }

  @Test
  void onlyFailuresAndTimeoutsAreRetried() {
    assertEquals(Optional.empty(), Retries.delayBeforeNext(ANY_FAILURE, 1, SUCCEEDED, 0));
    assertEquals(
        Optional.of(Duration.ofSeconds(10)),
        Retries.delayBeforeNext(ANY_FAILURE, 1, TIMED_OUT, 137));
    assertEquals(Optional.empty(), Retries.delayBeforeNext(null, 1, FAILED, 1));
  }

  @Test
  void exitCodeListNarrowsWhatIsRetried() {
    assertEquals(
        Optional.of(Duration.ofSeconds(10)), Retries.delayBeforeNext(ONLY_75, 1, FAILED, 75));
    assertEquals(Optional.empty(), Retries.delayBeforeNext(ONLY_75, 1, FAILED, 1));
    assertEquals(Optional.empty(), Retries.delayBeforeNext(ONLY_75, 1, FAILED, null));
    assertEquals(Optional.empty(), Retries.delayBeforeNext(ONLY_75, 1, TIMED_OUT, 75));
  }

  @Test
  void backoffIsCappedAtADay() {
    var policy = new JobSpec.RetryPolicy(10, 86_400, null);
    assertEquals(Optional.of(Retries.MAX_BACKOFF), Retries.delayBeforeNext(policy, 5, FAILED, 1));
  }
}

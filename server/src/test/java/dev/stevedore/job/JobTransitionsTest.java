package dev.stevedore.job;

import static dev.stevedore.job.JobState.CANCELLED;
import static dev.stevedore.job.JobState.FAILED;
import static dev.stevedore.job.JobState.QUEUED;
import static dev.stevedore.job.JobState.RUNNING;
import static dev.stevedore.job.JobState.STARTING;
import static dev.stevedore.job.JobState.SUCCEEDED;
import static dev.stevedore.job.JobState.TIMED_OUT;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.core.JobId;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobTransitionsTest {

  /** The design's state diagram, written out independently of the table under test. */
  private static final Map<JobState, Set<JobState>> EXPECTED =
      Map.of(
          QUEUED, EnumSet.of(STARTING, CANCELLED),
          STARTING, EnumSet.of(RUNNING, FAILED, QUEUED, CANCELLED),
          RUNNING, EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, QUEUED),
          SUCCEEDED, EnumSet.noneOf(JobState.class),
          FAILED, EnumSet.of(QUEUED),
          TIMED_OUT, EnumSet.of(QUEUED),
          CANCELLED, EnumSet.noneOf(JobState.class));

  private static final JobId JOB = JobId.next();

  @ParameterizedTest
  @EnumSource(JobState.class)
  void everyPairIsAllowedExactlyAsTheDiagramSays(JobState from) {
    for (JobState to : JobState.values()) {
      boolean expected = EXPECTED.get(from).contains(to);
      assertEquals(expected, JobTransitions.isAllowed(from, to), from + " -> " + to);
      if (expected) {
        assertDoesNotThrow(() -> JobTransitions.check(JOB, from, to));
      } else {
        IllegalTransitionException refused =
            assertThrows(
                IllegalTransitionException.class, () -> JobTransitions.check(JOB, from, to));
        assertEquals("illegal-transition", refused.reason());
        assertTrue(refused.getMessage().contains(from.name()));
      }
    }
  }

  @Test
  void endStatesAreFinalButForRetries() {
    assertTrue(JobTransitions.allowedFrom(SUCCEEDED).isEmpty());
    assertTrue(JobTransitions.allowedFrom(CANCELLED).isEmpty());
    assertFalse(JobTransitions.isAllowed(FAILED, RUNNING));
    assertFalse(JobTransitions.isAllowed(QUEUED, RUNNING), "a job cannot skip STARTING");
    assertFalse(JobTransitions.isAllowed(QUEUED, QUEUED));
  }

  @Test
  void theTableCannotBeChangedFromOutside() {
    assertThrows(
        UnsupportedOperationException.class, () -> JobTransitions.allowedFrom(QUEUED).add(RUNNING));
  }
}

package dev.stevedore.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.core.JobId;
import jakarta.persistence.OptimisticLockException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * How {@link JobLifecycle} meets a store that answers with a lost race or a refusal: a lost race
 * (an optimistic lock failure) is tried again with the job read anew, a refusal is the caller's
 * answer at once.
 */
class JobLifecycleTest {

  private static final JobId ID = JobId.next();

  /** Answers each transition with the next scripted outcome, counting the calls. */
  private static final class ScriptedRepository extends JobRepository {
    final Deque<Object> answers = new ArrayDeque<>();
    int calls;

    @Override
    public Outcome transition(
        JobId id, Integer attempt, JobState to, String reason, Consumer<Job> change) {
      calls++;
      Object answer = answers.removeFirst();
      if (answer instanceof RuntimeException failure) {
        throw failure;
      }
      return (Outcome) answer;
    }
  }

  private static JobLifecycle lifecycle(ScriptedRepository repository) {
    JobLifecycle lifecycle = new JobLifecycle();
    lifecycle.repository = repository;
    return lifecycle;
  }

  /** What a JPA provider throws at the flush when another writer won: the cause is wrapped. */
  private static RuntimeException lostRace() {
    return new IllegalStateException("flush failed", new OptimisticLockException("changed"));
  }

  @Test
  void aLostRaceIsTriedAgainUntilItPasses() {
    ScriptedRepository repository = new ScriptedRepository();
    repository.answers.add(lostRace());
    repository.answers.add(lostRace());
    repository.answers.add(JobRepository.Outcome.moved(null));

    lifecycle(repository).transition(ID, JobState.CANCELLED, "cancelled");

    assertEquals(3, repository.calls);
  }

  @Test
  void aRaceLostFiveTimesIsGivenUp() {
    ScriptedRepository repository = new ScriptedRepository();
    for (int i = 0; i < 5; i++) {
      repository.answers.add(lostRace());
    }

    RuntimeException failure =
        assertThrows(
            RuntimeException.class,
            () -> lifecycle(repository).transition(ID, JobState.CANCELLED, "cancelled"));

    assertTrue(failure.getCause() instanceof OptimisticLockException, failure.toString());
    assertEquals(5, repository.calls);
  }

  @Test
  void aRefusalIsThrownToTheCallerAndNotTriedAgain() {
    ScriptedRepository repository = new ScriptedRepository();
    repository.answers.add(
        JobRepository.Outcome.refused(
            new IllegalTransitionException(ID, JobState.SUCCEEDED, JobState.CANCELLED)));

    assertThrows(
        IllegalTransitionException.class,
        () -> lifecycle(repository).transition(ID, JobState.CANCELLED, "cancelled"));
    assertEquals(1, repository.calls);
  }

  @Test
  void aChangeOvertakenMeanwhileIsNotAnError() {
    ScriptedRepository repository = new ScriptedRepository();
    repository.answers.add(
        JobRepository.Outcome.refused(
            new IllegalTransitionException(ID, JobState.CANCELLED, JobState.FAILED)));
    repository.answers.add(JobRepository.Outcome.refused(new JobNotFoundException(ID)));
    JobLifecycle lifecycle = lifecycle(repository);

    assertFalse(
        JobLifecycle.ifStillPossible(
            () -> lifecycle.finish(ID, JobState.FAILED, 1, "exited with code 1")));
    assertFalse(
        JobLifecycle.ifStillPossible(
            () -> lifecycle.transition(ID, JobState.CANCELLED, "cancelled")));
  }
}

package dev.stevedore.job;

import static dev.stevedore.job.JobState.CANCELLED;
import static dev.stevedore.job.JobState.FAILED;
import static dev.stevedore.job.JobState.QUEUED;
import static dev.stevedore.job.JobState.RUNNING;
import static dev.stevedore.job.JobState.STARTING;
import static dev.stevedore.job.JobState.SUCCEEDED;
import static dev.stevedore.job.JobState.TIMED_OUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.core.JobId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The state changes of {@link JobLifecycle} on real job entities, against the in-memory store: what
 * a retry policy makes of an ended attempt, what an engine interruption and a wait for the engine
 * do, and how a change that loses a race to another writer is read again and judged anew.
 */
class JobLifecycleRetriesTest {

  private final InMemoryJobRepository jobs = new InMemoryJobRepository();
  private final JobLifecycle lifecycle = new JobLifecycle();

  {
    lifecycle.repository = jobs;
    lifecycle.database = dev.stevedore.db.DatabaseKind.known(false);
  }

  /** The changes committed, as their events tell them: {@code from>to attempt exit reason}. */
  private List<String> changes() {
    return jobs.events().stream()
        .map(
            e ->
                e.from()
                    + ">"
                    + e.to()
                    + " "
                    + e.attempt()
                    + " "
                    + e.exitCode()
                    + " "
                    + e.reason()
                    + (e.terminal() ? " (terminal)" : ""))
        .toList();
  }

  private static void assertAbout(Instant expected, Instant actual) {
    assertTrue(
        Duration.between(expected, actual).abs().compareTo(Duration.ofSeconds(2)) < 0,
        actual + " is not about " + expected);
  }

  @Test
  void aFailedAttemptWithAttemptsLeftIsQueuedAgainAfterItsBackoff() {
    JobId id = jobs.place(Specs.job().retry(3, 10).spec(), STARTING, RUNNING);

    lifecycle.finish(id, FAILED, 1, "exited with code 1");

    Job job = jobs.get(id);
    assertEquals(QUEUED, job.state());
    assertEquals(2, job.attempt());
    assertEquals(1, job.exitCode(), "the ended attempt's code stays readable");
    assertAbout(Instant.now().plusSeconds(10), job.notBefore());
    assertEquals(
        List.of(
            "RUNNING>FAILED 1 1 exited with code 1",
            "FAILED>QUEUED 2 null retry: attempt 2 of 3 after 10 s"),
        changes());
  }

  @Test
  void theBackoffDoublesWithEachAttempt() {
    JobId id = jobs.place(Specs.job().retry(3, 10).spec(), STARTING, RUNNING);
    jobs.attempt(id, 2);

    lifecycle.finish(id, FAILED, 1, "exited with code 1");

    assertEquals(3, jobs.get(id).attempt());
    assertAbout(Instant.now().plusSeconds(20), jobs.get(id).notBefore());
    assertEquals("FAILED>QUEUED 3 null retry: attempt 3 of 3 after 20 s", changes().get(1));
  }

  @Test
  void theLastAttemptEndsTheJobForGood() {
    JobId id = jobs.place(Specs.job().retry(3, 10).spec(), STARTING, RUNNING);
    jobs.attempt(id, 3);

    lifecycle.finish(id, FAILED, 1, "exited with code 1");

    assertEquals(FAILED, jobs.state(id));
    assertEquals(List.of("RUNNING>FAILED 3 1 exited with code 1 (terminal)"), changes());
  }

  @Test
  void onlyTheExitCodesAPolicyNamesAreRetried() {
    JobId other = jobs.place(Specs.job().retry(3, 0, 75).spec(), STARTING, RUNNING);
    JobId listed = jobs.place(Specs.job().retry(3, 0, 75).spec(), STARTING, RUNNING);

    lifecycle.finish(other, FAILED, 1, "exited with code 1");
    lifecycle.finish(listed, FAILED, 75, "exited with code 75");

    assertEquals(FAILED, jobs.state(other));
    assertEquals(QUEUED, jobs.state(listed));
    assertEquals("retry: attempt 2 of 3", jobs.get(listed).reason(), "no backoff, no wait named");
    assertAbout(Instant.now(), jobs.get(listed).notBefore());
  }

  @Test
  void aTimedOutAttemptIsRetriedOnlyByAPolicyThatNamesNoExitCodes() {
    JobId anyFailure = jobs.place(Specs.job().retry(2, 0).spec(), STARTING, RUNNING);
    JobId someCodes = jobs.place(Specs.job().retry(2, 0, 137).spec(), STARTING, RUNNING);

    lifecycle.finish(anyFailure, TIMED_OUT, 137, "deadline of 60 s passed");
    lifecycle.finish(someCodes, TIMED_OUT, 137, "deadline of 60 s passed");

    assertEquals(QUEUED, jobs.state(anyFailure));
    assertEquals(TIMED_OUT, jobs.state(someCodes));
  }

  @Test
  void aSuccessIsNeverRetried() {
    JobId id = jobs.place(Specs.job().retry(3, 0).spec(), STARTING, RUNNING);

    lifecycle.finish(id, SUCCEEDED, 0, "exited with code 0");

    assertEquals(SUCCEEDED, jobs.state(id));
    assertEquals(List.of("RUNNING>SUCCEEDED 1 0 exited with code 0 (terminal)"), changes());
  }

  @Test
  void anEngineInterruptionIsANewAttemptThatTheRetryPolicyDoesNotCount() {
    JobId id = jobs.place(Specs.job().retry(2, 0).spec(), STARTING, RUNNING);

    lifecycle.interruptedByEngine(id, 1, "interrupted by a Docker engine restart");

    Job job = jobs.get(id);
    assertEquals(QUEUED, job.state());
    assertEquals(2, job.attempt());
    assertEquals(1, job.engineInterruptions());
    assertNull(job.exitCode());
    assertAbout(Instant.now().plusSeconds(5), job.notBefore());

    lifecycle.transition(id, STARTING, "dispatched");
    lifecycle.transition(id, RUNNING, "container started");
    lifecycle.finish(id, FAILED, 1, "exited with code 1");
    assertEquals(QUEUED, jobs.state(id), "the policy's first attempt failed: one is left");
    assertEquals("retry: attempt 2 of 2", jobs.get(id).reason());

    lifecycle.transition(id, STARTING, "dispatched");
    lifecycle.transition(id, RUNNING, "container started");
    lifecycle.finish(id, FAILED, 1, "exited with code 1");
    assertEquals(FAILED, jobs.state(id));
    assertEquals(3, jobs.get(id).attempt());
  }

  @Test
  void aJobThatWaitsForTheEngineKeepsItsAttemptAndWaitsAFewSeconds() {
    JobId id = jobs.place(Specs.job().spec(), STARTING);

    lifecycle.waitForEngine(id, 1, "Docker engine unavailable: it did not answer in time");

    Job job = jobs.get(id);
    assertEquals(QUEUED, job.state());
    assertEquals(1, job.attempt());
    assertAbout(Instant.now().plusSeconds(5), job.notBefore());
  }

  @Test
  void aChangeThatLosesARaceOnItsFirstTryIsMadeOnceOnTheNext() {
    JobId id = jobs.place(Specs.job().retry(3, 10).spec(), STARTING, RUNNING);
    jobs.meanwhile(() -> jobs.touch(id));

    lifecycle.finish(id, FAILED, 1, "exited with code 1");

    assertEquals(1, jobs.lostRaces());
    assertEquals(QUEUED, jobs.state(id));
    assertEquals(2, jobs.get(id).attempt(), "the retry is counted once");
    assertEquals(
        List.of(
            "RUNNING>FAILED 1 1 exited with code 1",
            "FAILED>QUEUED 2 null retry: attempt 2 of 3 after 10 s"),
        changes());
    assertEquals(5, jobs.get(id).history().size(), "QUEUED, STARTING, RUNNING, FAILED, QUEUED");
  }

  @Test
  void aChangeThatLosesARaceToACancelIsRefusedWhenTriedAgain() {
    JobId id = jobs.place(Specs.job().retry(3, 0).spec(), STARTING, RUNNING);
    jobs.meanwhile(() -> lifecycle.transition(id, CANCELLED, "cancelled by its owner"));

    assertThrows(
        IllegalTransitionException.class,
        () -> lifecycle.finish(id, FAILED, 137, "exited with code 137"));

    assertEquals(1, jobs.lostRaces());
    assertEquals(CANCELLED, jobs.state(id));
    assertEquals(1, jobs.get(id).attempt(), "a cancelled job is not retried");
    assertEquals(List.of("RUNNING>CANCELLED 1 null cancelled by its owner (terminal)"), changes());
    assertFalse(
        JobLifecycle.ifStillPossible(() -> lifecycle.finish(id, FAILED, 1, "exited with code 1")));
  }

  private boolean claim(JobId id, String node) {
    Job job = jobs.get(id);
    var candidate = new JobRepository.Candidate(id, job.tenantId(), job.pool());
    return lifecycle.claim(List.of(candidate), node, Instant.now()).contains(id);
  }

  @Test
  void aClaimThatLosesARaceIsNotTriedAgain() {
    JobId id = jobs.submit(Specs.job().spec());
    jobs.meanwhile(() -> jobs.claim(id, "node-b", Instant.now(), "dispatched to node node-b"));

    assertFalse(claim(id, "node-a"));

    assertEquals(1, jobs.lostRaces());
    assertEquals(STARTING, jobs.state(id));
    assertEquals("node-b", jobs.get(id).node());
  }

  @Test
  void aClaimIsRefusedOnceTheTenantRunsItsQuota() {
    jobs.maxRunning("acme", 1);
    jobs.place(Specs.job().spec(), "acme", STARTING, RUNNING);
    JobId waiting = jobs.submit(Specs.job().spec(), "acme");
    JobId other = jobs.submit(Specs.job().spec(), "other");

    assertFalse(claim(waiting, "node-a"));
    assertTrue(claim(other, "node-a"));

    assertEquals(QUEUED, jobs.state(waiting));
    assertEquals(STARTING, jobs.state(other));
    assertEquals("dispatched to node node-a", jobs.get(other).reason());
  }

  @Test
  void aLongReasonIsCutToWhatTheHistoryKeeps() {
    JobId id = jobs.place(Specs.job().spec(), STARTING, RUNNING);

    lifecycle.finish(id, FAILED, 1, "x".repeat(5000));

    String reason = jobs.get(id).reason();
    assertEquals(2000, reason.length());
    assertTrue(reason.endsWith("x…"), reason.substring(1990));
  }

  @Test
  void aLostNodesAttemptIsANewOneAndItsFormerRunnerEndsNothing() {
    JobId id = jobs.place(Specs.job().retry(1, 0).spec(), STARTING, RUNNING);

    lifecycle.nodeLost(id, 1, "node lost: node-a stopped answering");

    Job job = jobs.get(id);
    assertEquals(QUEUED, job.state());
    assertEquals(2, job.attempt());
    assertEquals(1, job.engineInterruptions(), "not counted against the retry policy");
    assertNull(job.node());
    lifecycle.transition(id, STARTING, "dispatched");
    lifecycle.transition(id, RUNNING, "container started");

    // The lost node comes back and its runner of attempt 1 tries to record an end.
    assertEquals(
        false,
        JobLifecycle.ifStillPossible(
            () -> lifecycle.finish(id, 1, SUCCEEDED, 0, "exited with code 0")));
    assertEquals(RUNNING, jobs.state(id));
    assertEquals(
        false, JobLifecycle.ifStillPossible(() -> lifecycle.nodeLost(id, 1, "node lost again")));

    lifecycle.finish(id, 2, SUCCEEDED, 0, "exited with code 0");
    assertEquals(SUCCEEDED, jobs.state(id));
  }
}

package dev.stevedore.dispatch;

import static dev.stevedore.job.JobState.CANCELLED;
import static dev.stevedore.job.JobState.FAILED;
import static dev.stevedore.job.JobState.QUEUED;
import static dev.stevedore.job.JobState.RUNNING;
import static dev.stevedore.job.JobState.STARTING;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.core.JobId;
import dev.stevedore.job.InMemoryJobRepository;
import dev.stevedore.job.JobState;
import dev.stevedore.job.JobStateChanged;
import dev.stevedore.job.QueueStatus;
import dev.stevedore.job.Specs;
import dev.stevedore.runtime.ContainerLabels;
import dev.stevedore.runtime.ContainerSpec;
import dev.stevedore.runtime.InMemoryContainerRuntime;
import dev.stevedore.runtime.Sandbox;
import jakarta.persistence.PersistenceException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's passes against the in-memory job store and engine, with executors the test
 * drives: which queued jobs it claims (priority, age, free slots, tenants' running quotas), when it
 * reads the queue, and how slots are taken and freed. The runner is a stand-in that records what it
 * was handed.
 */
class DispatcherTest {

  /**
   * A failing pass and a failing runner are logged; the tests check them, the build stays quiet.
   */
  private static final Logger QUIET = SeamWiring.quiet(Dispatcher.class);

  private final InMemoryJobRepository jobs = new InMemoryJobRepository();
  private final InMemoryContainerRuntime engine = new InMemoryContainerRuntime();
  private final ManualExecutor executor = new ManualExecutor();
  private final Runner runner = new Runner();
  private final QueueStatus queueStatus = new QueueStatus();
  private final Dispatcher dispatcher = dispatcher(jobs, 2);

  private Dispatcher dispatcher(InMemoryJobRepository repository, int maxConcurrent) {
    return SeamWiring.dispatcher(repository, runner, engine, executor, queueStatus, maxConcurrent);
  }

  private JobId queued(String tenant, int priority) {
    return jobs.submit(Specs.job().priority(priority).spec(), tenant);
  }

  private List<JobId> queued(String tenant, int priority, int count) {
    return IntStream.range(0, count).mapToObj(i -> queued(tenant, priority)).toList();
  }

  @Test
  void theHighestPriorityStartsFirstThenTheOldestUpToTheFreeSlots() {
    JobId low = queued("default", 0);
    JobId high = queued("default", 5);
    JobId laterHigh = queued("default", 5);
    JobId laterLow = queued("default", 0);

    dispatcher.dispatch();

    assertEquals(STARTING, jobs.state(high));
    assertEquals(STARTING, jobs.state(laterHigh));
    assertEquals(QUEUED, jobs.state(low));
    assertEquals(QUEUED, jobs.state(laterLow));
    assertEquals(InMemoryJobRepository.NODE, jobs.get(high).node());
    assertEquals(2, dispatcher.running());
    assertEquals(0, queueStatus.freeSlots());
    assertTrue(dispatcher.isInFlight(high));

    executor.runAll(); // each runner's end asks for a pass, which starts the next ones

    assertEquals(
        List.of("run " + high, "run " + laterHigh, "run " + low, "run " + laterLow), runner.calls);
    assertEquals(0, dispatcher.running());
    assertFalse(dispatcher.isInFlight(high));
  }

  @Test
  void anIdlePassReadsTheQueueOnceAndAsksNothingOfTheEngine() {
    dispatcher.dispatch();

    assertEquals(List.of(Set.of()), jobs.queueReads());
    assertEquals(List.of(), engine.calls());
    assertEquals(2, queueStatus.freeSlots());
    assertNotNull(dispatcher.sinceLastPass());
  }

  @Test
  void aPassWithoutAFreeSlotReadsNothing() {
    queued("default", 0, 3);
    dispatcher.dispatch();

    dispatcher.dispatch();

    assertEquals(1, jobs.queueReads().size());
    assertEquals(0, queueStatus.freeSlots());
  }

  @Test
  void nothingStartsWhileTheEngineIsDown() {
    JobId id = queued("default", 0);
    engine.engineDown();

    dispatcher.dispatch();

    assertEquals(QUEUED, jobs.state(id));
    assertFalse(queueStatus.engineAvailable());
    assertEquals(0, dispatcher.running());

    engine.engineUp();
    dispatcher.dispatch();

    assertEquals(STARTING, jobs.state(id));
    assertTrue(queueStatus.engineAvailable());
  }

  @Test
  void aRetryWaitingForItsBackoffIsNotStarted() {
    JobId waiting = queued("default", 9);
    jobs.notBefore(waiting, Instant.now().plusSeconds(60));
    JobId due = queued("default", 0);

    dispatcher.dispatch();

    assertEquals(QUEUED, jobs.state(waiting));
    assertEquals(STARTING, jobs.state(due));
  }

  @Test
  void aTenantAtItsRunningQuotaWaitsWhileOthersStart() {
    jobs.maxRunning("acme", 1);
    jobs.place(Specs.job().spec(), "acme", STARTING, RUNNING);
    JobId acme = queued("acme", 9);
    JobId other = queued("other", 0);

    dispatcher.dispatch();

    assertEquals(QUEUED, jobs.state(acme));
    assertEquals(STARTING, jobs.state(other));
  }

  @Test
  void aTenantThatReachesItsQuotaDuringThePassLeavesTheOtherSlotsToOthers() {
    Dispatcher four = dispatcher(jobs, 4);
    jobs.maxRunning("acme", 2);
    List<JobId> acme = queued("acme", 5, 4);
    List<JobId> other = queued("other", 0, 2);

    four.dispatch();

    assertEquals(
        List.of(STARTING, STARTING, QUEUED, QUEUED), acme.stream().map(jobs::state).toList());
    assertEquals(List.of(STARTING, STARTING), other.stream().map(jobs::state).toList());
    assertEquals(4, four.running());
  }

  @Test
  void aFullTenantsLongQueueNeverHidesAnotherTenantsJob() {
    Dispatcher one = dispatcher(jobs, 1);
    jobs.maxRunning("acme", 1);
    jobs.place(Specs.job().spec(), "acme", STARTING, RUNNING);
    queued("acme", 9, 30); // more than one read of the queue returns
    JobId other = queued("other", 0);

    one.dispatch();

    assertEquals(STARTING, jobs.state(other));
    assertEquals(List.of(Set.of(), Set.of("acme")), jobs.queueReads());
  }

  @Test
  void aJobClaimedByAnotherNodeMeanwhileIsLeftToItAndTheNextOneStarts() {
    JobId first = queued("default", 5);
    JobId second = queued("default", 0);
    jobs.meanwhile(
        () -> jobs.claim(first, "node-b", java.time.Instant.now(), "dispatched to node node-b"));
    Dispatcher one = dispatcher(jobs, 1);

    one.dispatch();

    assertEquals("node-b", jobs.get(first).node());
    assertEquals(STARTING, jobs.state(second));
    assertEquals(InMemoryJobRepository.NODE, jobs.get(second).node());
    assertFalse(one.isInFlight(first));
    executor.runAll();
    assertEquals(List.of("run " + second), runner.calls);
  }

  @Test
  void aTenantFilledByAnotherNodeDuringThePassIsCountedFullAndReadPast() {
    Dispatcher three = dispatcher(jobs, 3);
    jobs.maxRunning("acme", 1);
    List<JobId> acme = queued("acme", 5, 2);
    JobId other = queued("other", 0);
    jobs.beforeNextClaim(() -> jobs.place(Specs.job().spec(), "acme", STARTING));

    three.dispatch();

    assertEquals(List.of(QUEUED, QUEUED), acme.stream().map(jobs::state).toList());
    assertEquals(STARTING, jobs.state(other));
    assertEquals(List.of(Set.of(), Set.of("acme")), jobs.queueReads());
    assertEquals(1, three.running());
  }

  @Test
  void aRetryWhosePreviousRunnerIsStillFinishingWaitsForThatRunnersEnd() {
    JobId id = jobs.place(Specs.job().retry(2, 0).spec(), STARTING, RUNNING);
    dispatcher.adopt(id); // its runner has not ended yet
    dispatcher.lifecycle.finish(id, FAILED, 1, "exited with code 1");
    assertEquals(QUEUED, jobs.state(id), "requeued as attempt 2");

    dispatcher.dispatch();

    assertEquals(QUEUED, jobs.state(id));

    executor.runAll(); // the runner ends and asks for a pass

    assertEquals(STARTING, jobs.state(id));
    assertEquals(List.of("resume " + id, "run " + id), runner.calls);
  }

  @Test
  void aRunnerThatEndsFreesItsSlotAndAsksForAPass() {
    Dispatcher one = dispatcher(jobs, 1);
    JobId first = queued("default", 0);
    JobId second = queued("default", 0);
    one.dispatch();

    assertTrue(executor.runNext()); // the first job's runner

    assertEquals(0, one.running());
    assertEquals(QUEUED, jobs.state(second), "not before the pass it asked for");
    assertEquals(1, executor.pending());
    assertTrue(executor.runNext()); // that pass
    assertEquals(STARTING, jobs.state(second));
    assertEquals(1, one.running());
    assertEquals(List.of("run " + first), runner.calls);
  }

  @Test
  void aRunnerThatFailsStillFreesItsSlot() {
    JobId id = queued("default", 0);
    runner.failure = new IllegalStateException("runner broke");
    dispatcher.dispatch();

    executor.runAll();

    assertEquals(0, dispatcher.running());
    assertFalse(dispatcher.isInFlight(id));
  }

  @Test
  void anAdoptedContainerTakesASlotBeyondTheLimitAndIsAdoptedOnce() {
    Dispatcher one = dispatcher(jobs, 1);
    JobId queued = queued("default", 0);
    one.dispatch();
    JobId found = jobs.place(Specs.job().spec(), STARTING, RUNNING);

    one.adopt(found);
    one.adopt(found);

    assertEquals(2, one.running());
    executor.runAll();
    assertEquals(List.of("run " + queued, "resume " + found), runner.calls);
    assertEquals(0, one.running());
  }

  @Test
  void aRunningJobsCancelStopsItsContainerAndLeavesTheRestToItsRunner() {
    JobId id = jobs.place(Specs.job().spec(), STARTING, RUNNING);
    String container = container(id);
    dispatcher.adopt(id); // a runner follows it

    dispatcher.onStateChange(cancelled(id, RUNNING));
    assertTrue(executor.runNewest()); // the stop, while the runner still follows the container

    assertFalse(engine.status(container).orElseThrow().running());
    assertTrue(dispatcher.isInFlight(id));
    executor.runAll();
    assertEquals(List.of("resume " + id), runner.calls, "the runner collects, not the stop");
  }

  @Test
  void theStoppedContainerOfACancelledJobNoRunnerFollowsIsCollected() {
    JobId id = jobs.place(Specs.job().spec(), STARTING, RUNNING);
    String container = container(id);

    dispatcher.onStateChange(cancelled(id, RUNNING));
    executor.runAll();

    assertFalse(engine.status(container).orElseThrow().running());
    assertTrue(engine.calls().contains("stop " + container));
    assertTrue(runner.calls.contains("collect " + id + " 1 " + container), runner.calls.toString());
    assertFalse(dispatcher.isInFlight(id));
  }

  @Test
  void aQueuedJobsCancelStopsNothing() {
    JobId id = queued("default", 0);

    dispatcher.onStateChange(cancelled(id, QUEUED));
    executor.runAll();

    assertTrue(
        engine.calls().stream().noneMatch(c -> c.startsWith("stop")), engine.calls()::toString);
    assertEquals(List.of(), runner.calls);
  }

  @Test
  void aFailedPassIsLoggedAndTheNextOneTriesAgain() {
    JobId id = queued("default", 0);
    jobs.failNextQueueRead(new PersistenceException("connection reset"));

    assertDoesNotThrow(dispatcher::dispatch);

    assertNotNull(dispatcher.sinceLastPass());
    assertEquals(QUEUED, jobs.state(id));
    dispatcher.dispatch();
    assertEquals(STARTING, jobs.state(id));
  }

  @Test
  void aStoppedDispatcherStartsNothing() {
    JobId id = queued("default", 0);
    dispatcher.stop();

    dispatcher.dispatch();
    dispatcher.onStateChange(
        new JobStateChanged(
            id,
            "default",
            null,
            QUEUED,
            1,
            null,
            "submitted",
            Instant.now(),
            Instant.now(),
            false));

    assertEquals(0, executor.pending());
    assertEquals(QUEUED, jobs.state(id));
    assertEquals(List.of(), jobs.queueReads());
  }

  @Test
  void aClaimThatFailsLeavesTheJobFreeForTheNextPass() {
    JobId id = queued("default", 0);
    jobs.beforeNextClaim(
        () -> {
          throw new PersistenceException("connection reset");
        });

    dispatcher.dispatch();
    dispatcher.dispatch();

    assertEquals(STARTING, jobs.state(id));
  }

  // ---- the world around it ----

  private String container(JobId id) {
    String name = ContainerLabels.containerName(id.value(), 1);
    engine.withImage(Specs.IMAGE);
    engine.create(
        new ContainerSpec(
            name,
            Specs.IMAGE,
            null,
            Map.of(),
            Map.of(),
            new ContainerSpec.Limits(1, 1, 1),
            new Sandbox(true, true, true, 1, "65534:65534", 1, 1, null),
            "none",
            List.of()));
    engine.start(name);
    return name;
  }

  private JobStateChanged cancelled(JobId id, JobState from) {
    dispatcher.lifecycle.transition(id, CANCELLED, "cancelled by its owner");
    Instant now = Instant.now();
    return new JobStateChanged(
        id, "default", from, CANCELLED, 1, null, "cancelled by its owner", now, now, true);
  }

  /** Records what it is handed; fails if told to. */
  private static final class Runner extends JobRunner {
    final List<String> calls = new ArrayList<>();
    RuntimeException failure;

    @Override
    public void run(JobId id) {
      calls.add("run " + id);
      if (failure != null) {
        throw failure;
      }
    }

    @Override
    public void resume(JobId id) {
      calls.add("resume " + id);
    }

    @Override
    public void collectCancelled(JobId id, int attempt, String container) {
      calls.add("collect " + id + " " + attempt + " " + container);
    }
  }

  @Test
  void aNodeThatTakesNoWorkClaimsNothingUntilItDoesAgain() {
    JobId id = queued("default", 0);
    dev.stevedore.core.NodeAdmission admission = dispatcher.admission;

    admission.draining(true);
    dispatcher.dispatch();
    assertEquals(QUEUED, jobs.state(id), "drained");

    admission.draining(false);
    admission.overloaded(true);
    dispatcher.dispatch();
    assertEquals(QUEUED, jobs.state(id), "above its load ceiling");

    admission.overloaded(false);
    dispatcher.dispatch();
    assertEquals(STARTING, jobs.state(id));
  }
}

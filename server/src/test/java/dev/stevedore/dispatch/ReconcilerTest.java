package dev.stevedore.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stevedore.core.JobId;
import dev.stevedore.core.NodeIdentity;
import dev.stevedore.job.IllegalTransitionException;
import dev.stevedore.job.Job;
import dev.stevedore.job.JobLifecycle;
import dev.stevedore.job.JobRepository;
import dev.stevedore.job.JobState;
import dev.stevedore.runtime.ContainerLabels;
import dev.stevedore.runtime.ContainerSpec;
import dev.stevedore.runtime.InMemoryContainerRuntime;
import dev.stevedore.runtime.Sandbox;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's branches, against the in-memory engine and small stand-ins for the database, the
 * job lifecycle and the dispatcher: each stand-in records what the reconciler asked of it.
 */
class ReconcilerTest {

  /** The reconciler says what it removes; the test checks it, so the build stays quiet. */
  private static final Logger QUIET = quiet(Reconciler.class);

  private static Logger quiet(Class<?> type) {
    Logger logger = Logger.getLogger(type.getName());
    logger.setLevel(Level.WARNING);
    return logger;
  }

  private static final String INSTALLATION = "inst-1";
  private static final String NODE = "node-a";
  private static final String IMAGE = "stevedore/agent:latest";

  private final InMemoryContainerRuntime engine = new InMemoryContainerRuntime().withImage(IMAGE);
  private final Jobs jobs = new Jobs();
  private final Lifecycle lifecycle = new Lifecycle();
  private final Dispatch dispatcher = new Dispatch();
  private final Reconciler reconciler = new Reconciler();

  @BeforeEach
  void wire() {
    reconciler.runtime = engine;
    reconciler.repository = jobs;
    reconciler.lifecycle = lifecycle;
    reconciler.dispatcher = dispatcher;
    reconciler.node = new Node();
  }

  @Test
  void doesNothingWhileTheEngineCannotBeReached() {
    JobId id = jobs.add(JobState.RUNNING, 1);
    engine.engineDown();

    reconciler.reconcile();

    assertEquals(List.of(), lifecycle.changes, "job " + id + " is not failed");
    assertEquals(List.of(), dispatcher.asked);
    assertEquals(List.of("isAvailable"), engine.calls());
  }

  @Test
  void anActiveJobWhoseContainerExistsIsAdopted() {
    JobId id = jobs.add(JobState.RUNNING, 2);
    String name = container(id, 2, labels(INSTALLATION, NODE, id, 2));

    reconciler.reconcile();

    assertEquals(List.of("adopt " + id), dispatcher.asked);
    assertEquals(List.of(), lifecycle.changes);
    assertEquals(Set.of(name), engine.names());
  }

  @Test
  void aContainerMadeBeforeContainersCarriedTheInstallationIsAdoptedByItsName() {
    JobId id = jobs.add(JobState.RUNNING, 1);
    container(id, 1, Map.of(ContainerLabels.JOB, id.value(), ContainerLabels.NODE, NODE));

    reconciler.reconcile();

    assertEquals(List.of("adopt " + id), dispatcher.asked);
  }

  @Test
  void aStartingJobWithoutContainerIsRequeued() {
    JobId id = jobs.add(JobState.STARTING, 1);

    reconciler.reconcile();

    assertEquals(
        List.of(id + " QUEUED requeued: its container was never started"), lifecycle.changes);
    assertEquals(List.of(), dispatcher.asked);
  }

  @Test
  void aRunningJobWithoutContainerFails() {
    JobId id = jobs.add(JobState.RUNNING, 1);

    reconciler.reconcile();

    assertEquals(List.of(id + " FAILED its container disappeared"), lifecycle.changes);
  }

  @Test
  void aTransitionOvertakenMeanwhileDoesNotEndThePass() {
    JobId overtaken = jobs.add(JobState.RUNNING, 1);
    JobId next = jobs.add(JobState.STARTING, 1);
    lifecycle.refused.add(overtaken);

    reconciler.reconcile();

    assertEquals(
        List.of(next + " QUEUED requeued: its container was never started"), lifecycle.changes);
  }

  @Test
  void aJobARunnerWatchesIsLeftAloneAndItsContainerKept() {
    JobId id = jobs.add(JobState.RUNNING, 1);
    dispatcher.inFlight.add(id);
    String name = container(id, 1, labels(INSTALLATION, NODE, id, 1));
    JobId starting = jobs.add(JobState.STARTING, 1);
    dispatcher.inFlight.add(starting);

    reconciler.reconcile();

    assertEquals(List.of(), dispatcher.asked);
    assertEquals(List.of(), lifecycle.changes);
    assertEquals(Set.of(name), engine.names());
  }

  @Test
  void aContainerNoActiveJobOwnsIsRemoved() {
    JobId finished = jobs.add(JobState.SUCCEEDED, 1);
    container(finished, 1, labels(INSTALLATION, NODE, finished, 1));
    JobId unknown = JobId.next();
    container(unknown, 1, labels(INSTALLATION, NODE, unknown, 1));

    reconciler.reconcile();

    assertEquals(Set.of(), engine.names());
    assertEquals(List.of(), dispatcher.asked);
  }

  @Test
  void theContainerOfACancelledAttemptIsSettledAndAnEarlierAttemptRemoved() {
    JobId id = jobs.add(JobState.CANCELLED, 2);
    String current = container(id, 2, labels(INSTALLATION, NODE, id, 2));
    String earlier = container(id, 1, labels(INSTALLATION, NODE, id, 1));

    reconciler.reconcile();

    assertEquals(List.of("settleCancelled " + id + " 2 " + current), dispatcher.asked);
    assertEquals(Set.of(current), engine.names(), earlier + " is removed");
  }

  @Test
  void aContainerWhoseJobARunnerWatchesIsNoOrphan() {
    JobId id = jobs.add(JobState.CANCELLED, 1);
    dispatcher.inFlight.add(id);
    String name = container(id, 1, labels(INSTALLATION, NODE, id, 1));

    reconciler.reconcile();

    assertEquals(List.of(), dispatcher.asked);
    assertEquals(Set.of(name), engine.names());
  }

  @Test
  void containersOfOtherNodesAndInstallationsAreLeftAlone() {
    JobId other = JobId.next();
    String otherNode = container(other, 1, labels(INSTALLATION, "node-b", other, 1));
    JobId foreign = JobId.next();
    String otherInstallation = container(foreign, 1, labels("inst-2", NODE, foreign, 1));

    reconciler.reconcile();

    assertEquals(Set.of(otherNode, otherInstallation), engine.names());
    assertEquals(List.of(), dispatcher.asked);
  }

  // ---- the world around it ----

  private String container(JobId id, int attempt, Map<String, String> labels) {
    String name = ContainerLabels.containerName(id.value(), attempt);
    engine.create(
        new ContainerSpec(
            name,
            IMAGE,
            null,
            Map.of(),
            labels,
            new ContainerSpec.Limits(1, 1, 1),
            new Sandbox(true, true, true, 1, "65534:65534", 1, 1, null),
            "none",
            List.of()));
    engine.start(name);
    return name;
  }

  private static Map<String, String> labels(
      String installation, String node, JobId job, int attempt) {
    return Map.of(
        ContainerLabels.INSTALLATION,
        installation,
        ContainerLabels.NODE,
        node,
        ContainerLabels.JOB,
        job.value(),
        ContainerLabels.ATTEMPT,
        String.valueOf(attempt));
  }

  /** A job as the reconciler reads it: its id, state and attempt. */
  private static final class StubJob extends Job {
    private final JobId id;
    private final JobState state;
    private final int attempt;

    StubJob(JobId id, JobState state, int attempt) {
      this.id = id;
      this.state = state;
      this.attempt = attempt;
    }

    @Override
    public JobId id() {
      return id;
    }

    @Override
    public JobState state() {
      return state;
    }

    @Override
    public int attempt() {
      return attempt;
    }
  }

  /** The jobs of this node, as the database would give them. */
  private static final class Jobs extends JobRepository {
    final Map<JobId, Job> all = new HashMap<>();

    JobId add(JobState state, int attempt) {
      JobId id = JobId.next();
      all.put(id, new StubJob(id, state, attempt));
      return id;
    }

    @Override
    public List<Job> activeOn(String node) {
      return all.values().stream().filter(j -> j.state().isActive()).toList();
    }

    @Override
    public Optional<Job> find(JobId id) {
      return Optional.ofNullable(all.get(id));
    }
  }

  /** Records the state changes asked for; refuses those of jobs moved on meanwhile. */
  private static final class Lifecycle extends JobLifecycle {
    final List<String> changes = new ArrayList<>();
    final Set<JobId> refused = new HashSet<>();

    @Override
    public Job transition(JobId id, JobState to, String reason) {
      return record(id, to, reason);
    }

    @Override
    public Job finish(JobId id, JobState to, Integer exitCode, String reason) {
      return record(id, to, reason);
    }

    private Job record(JobId id, JobState to, String reason) {
      if (refused.contains(id)) {
        throw new IllegalTransitionException(id, JobState.CANCELLED, to);
      }
      changes.add(id + " " + to + " " + reason);
      return null;
    }
  }

  /** Records what it is asked to run; no runner, no executor. */
  private static final class Dispatch extends Dispatcher {
    final Set<JobId> inFlight = new HashSet<>();
    final List<String> asked = new ArrayList<>();

    @Override
    public boolean isInFlight(JobId id) {
      return inFlight.contains(id);
    }

    @Override
    public void adopt(JobId id) {
      asked.add("adopt " + id);
    }

    @Override
    public void settleCancelled(JobId id, int attempt, String container) {
      asked.add("settleCancelled " + id + " " + attempt + " " + container);
    }
  }

  private static final class Node extends NodeIdentity {
    @Override
    public String installation() {
      return INSTALLATION;
    }

    @Override
    public String name() {
      return NODE;
    }
  }
}

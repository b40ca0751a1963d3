package dev.stevedore.dispatch;

import static dev.stevedore.job.JobState.CANCELLED;
import static dev.stevedore.job.JobState.FAILED;
import static dev.stevedore.job.JobState.QUEUED;
import static dev.stevedore.job.JobState.RUNNING;
import static dev.stevedore.job.JobState.STARTING;
import static dev.stevedore.job.JobState.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.core.JobId;
import dev.stevedore.core.NodeIdentity;
import dev.stevedore.job.InMemoryJobRepository;
import dev.stevedore.job.JobLifecycle;
import dev.stevedore.job.JobState;
import dev.stevedore.job.QueueStatus;
import dev.stevedore.job.Specs;
import dev.stevedore.logs.JobLogs;
import dev.stevedore.logs.LogLine;
import dev.stevedore.runtime.ContainerLabels;
import dev.stevedore.runtime.ContainerSpec;
import dev.stevedore.runtime.InMemoryContainerRuntime;
import dev.stevedore.runtime.InMemoryContainerRuntime.Script;
import dev.stevedore.runtime.Sandbox;
import dev.stevedore.workspace.TestWorkspaces;
import dev.stevedore.workspace.Workspaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a server finds after a restart, settled by the reconciler together with the real dispatcher
 * and runner, against the in-memory engine and job store: for a STARTING or RUNNING job, a
 * container that runs, has exited, was never started or is missing; containers that no active job
 * owns; and a job claimed a moment ago whose container does not exist yet.
 */
class ReconcilerRecoveryTest {

  /** The reconciler and the runner say what they settle; the tests check it, the build is quiet. */
  private static final List<Logger> QUIET =
      List.of(
          SeamWiring.quiet(Reconciler.class),
          SeamWiring.quiet(JobRunner.class),
          SeamWiring.quiet(Dispatcher.class));

  private static final String INSTALLATION = SeamWiring.INSTALLATION;
  private static final Sandbox SANDBOX = SeamWiring.SANDBOX;

  @TempDir Path data;

  private final InMemoryJobRepository jobs = new InMemoryJobRepository();
  private final JobLifecycle lifecycle = jobs.lifecycle();
  private final InMemoryContainerRuntime engine =
      new InMemoryContainerRuntime().withImage(Specs.IMAGE);
  private final ManualExecutor executor = new ManualExecutor();
  private final Reconciler reconciler = new Reconciler();
  private Workspaces workspaces;
  private JobLogs logs;
  private JobRunner runner;
  private Dispatcher dispatcher;

  @BeforeEach
  void wire() {
    workspaces = TestWorkspaces.at(data);
    NodeIdentity node = new SeamWiring.Node();
    runner = SeamWiring.runner(jobs, engine, workspaces, executor, node);
    logs = runner.logs;
    dispatcher = SeamWiring.dispatcher(jobs, runner, engine, executor, new QueueStatus(), 4);

    reconciler.runtime = engine;
    reconciler.repository = jobs;
    reconciler.lifecycle = lifecycle;
    reconciler.dispatcher = dispatcher;
    reconciler.node = node;
  }

  private JobId job(JobState... path) {
    return jobs.place(Specs.job().spec(), path);
  }

  private static String container(JobId id) {
    return ContainerLabels.containerName(id.value(), 1);
  }

  /** The job's first container, labelled by this node, made before the restart. */
  private String existing(JobId id, Script script, boolean started) {
    String name = container(id);
    engine.script(name, script);
    engine.create(
        new ContainerSpec(
            name,
            Specs.IMAGE,
            null,
            Map.of(),
            Map.of(
                ContainerLabels.INSTALLATION,
                INSTALLATION,
                ContainerLabels.NODE,
                InMemoryJobRepository.NODE,
                ContainerLabels.JOB,
                id.value(),
                ContainerLabels.ATTEMPT,
                "1"),
            new ContainerSpec.Limits(1, 1, 1),
            SANDBOX,
            "none",
            List.of()));
    if (started) {
      engine.start(name);
    }
    return name;
  }

  private List<String> output(JobId id) {
    return logs.lines(id, 1).stream().map(LogLine::text).toList();
  }

  private long starts(String container) {
    return engine.calls().stream().filter(("start " + container)::equals).count();
  }

  @Test
  void aRunningJobWhoseContainerStillRunsIsFollowedToItsEnd() {
    JobId id = job(STARTING, RUNNING);
    String c = existing(id, Script.runsUntilStopped().prints("before the restart"), true);

    reconciler.reconcile();
    engine.exit(c, 0);
    executor.runAll();

    assertEquals(SUCCEEDED, jobs.state(id));
    assertEquals(List.of("before the restart"), output(id));
    assertEquals(Set.of(), engine.names());
  }

  @Test
  void aRunningJobWhoseContainerEndedWhileTheServerWasDownIsFinishedWithItsCode() {
    JobId id = job(STARTING, RUNNING);
    existing(id, Script.exitsWith(3).prints("failed alone"), true);

    reconciler.reconcile();
    executor.runAll();

    assertEquals(FAILED, jobs.state(id));
    assertEquals(3, jobs.get(id).exitCode());
    assertEquals(List.of("failed alone"), output(id));
    assertEquals(Set.of(), engine.names());
  }

  @Test
  void aRunningJobWhoseContainerIsGoneFails() {
    JobId id = job(STARTING, RUNNING);

    reconciler.reconcile();

    assertEquals(FAILED, jobs.state(id));
    assertEquals("its container disappeared", jobs.get(id).reason());
  }

  @Test
  void aStartingJobWhoseContainerWasNeverStartedIsStartedOnce() {
    JobId id = job(STARTING);
    String c = existing(id, Script.exitsWith(0), false);

    reconciler.reconcile();
    executor.runAll();

    assertEquals(SUCCEEDED, jobs.state(id));
    assertEquals(1, starts(c));
  }

  @Test
  void aStartingJobWhoseContainerAlreadyRanIsNotRunAgain() {
    JobId id = job(STARTING);
    String c = existing(id, Script.exitsWith(4), true); // it ran and ended before the crash
    long before = starts(c);

    reconciler.reconcile();
    executor.runAll();

    assertEquals(FAILED, jobs.state(id));
    assertEquals(4, jobs.get(id).exitCode());
    assertEquals(before, starts(c), "never started a second time");
  }

  @Test
  void aStartingJobWithoutContainerIsQueuedAgainWithTheSameAttempt() {
    JobId id = job(STARTING);

    reconciler.reconcile();

    assertEquals(QUEUED, jobs.state(id));
    assertEquals(1, jobs.get(id).attempt());
    assertEquals("requeued: its container was never started", jobs.get(id).reason());
  }

  @Test
  void aJobClaimedAMomentAgoIsNotTakenForAbandoned() {
    JobId id = jobs.submit(Specs.job().spec());
    dispatcher.dispatch(); // claimed; its runner has not made the container yet

    reconciler.reconcile();

    assertEquals(STARTING, jobs.state(id));
    assertTrue(dispatcher.isInFlight(id));
  }

  @Test
  void theContainerOfAJobCancelledWhileTheServerWasDownKeepsItsOutputThenGoes() {
    JobId id = job(STARTING, RUNNING, CANCELLED);
    String c = existing(id, Script.runsUntilStopped().prints("partial work"), true);

    reconciler.reconcile();
    executor.runAll();

    assertTrue(engine.calls().contains("stop " + c));
    assertEquals(List.of("partial work"), output(id));
    assertTrue(Files.isRegularFile(workspaces.outputZip(id)));
    assertEquals(Set.of(), engine.names());
    assertEquals(CANCELLED, jobs.state(id));
  }

  @Test
  void theContainerOfAFinishedJobIsRemoved() {
    JobId id = job(STARTING, RUNNING);
    String c = existing(id, Script.exitsWith(0), true);
    lifecycle.finish(id, SUCCEEDED, 0, "exited with code 0");

    reconciler.reconcile();

    assertEquals(Set.of(), engine.names(), c + " is removed");
    assertEquals(0, executor.pending());
  }

  @Test
  void nothingIsDecidedWhileTheEngineCannotBeReached() {
    JobId id = job(STARTING, RUNNING);
    engine.engineDown();

    reconciler.reconcileQuietly();

    assertEquals(RUNNING, jobs.state(id));
  }
}

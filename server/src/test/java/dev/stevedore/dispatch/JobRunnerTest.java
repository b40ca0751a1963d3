package dev.stevedore.dispatch;

import static dev.stevedore.job.JobState.CANCELLED;
import static dev.stevedore.job.JobState.FAILED;
import static dev.stevedore.job.JobState.QUEUED;
import static dev.stevedore.job.JobState.RUNNING;
import static dev.stevedore.job.JobState.STARTING;
import static dev.stevedore.job.JobState.SUCCEEDED;
import static dev.stevedore.job.JobState.TIMED_OUT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.core.JobId;
import dev.stevedore.job.InMemoryJobRepository;
import dev.stevedore.job.Job;
import dev.stevedore.job.JobLifecycle;
import dev.stevedore.job.JobSpec;
import dev.stevedore.job.Specs;
import dev.stevedore.logs.JobLogs;
import dev.stevedore.logs.LogLine;
import dev.stevedore.runtime.ContainerLabels;
import dev.stevedore.runtime.ContainerRuntimeException;
import dev.stevedore.runtime.ContainerSpec;
import dev.stevedore.runtime.InMemoryContainerRuntime;
import dev.stevedore.runtime.InMemoryContainerRuntime.Script;
import dev.stevedore.runtime.Sandbox;
import dev.stevedore.workspace.OutputArchive;
import dev.stevedore.workspace.TestWorkspaces;
import dev.stevedore.workspace.Workspaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One attempt of a job from its claim to its end, against the in-memory engine and job store, with
 * real job directories, logs and outputs archives in a temporary directory: the ends a container
 * can come to, the deadline, the engine failing at each step, and a cancel arriving at each step of
 * the start. The races are scripted with the engine's {@code beforeNext}: the cancel lands just
 * before the runner's next call.
 */
class JobRunnerTest {

  /** The runner says what went wrong with the engine; the tests check it, the build stays quiet. */
  private static final Logger QUIET = SeamWiring.quiet(JobRunner.class);

  private static final Sandbox SANDBOX = SeamWiring.SANDBOX;

  @TempDir Path data;

  private final InMemoryJobRepository jobs = new InMemoryJobRepository();
  private final JobLifecycle lifecycle = jobs.lifecycle();
  private final InMemoryContainerRuntime engine =
      new InMemoryContainerRuntime().withImage(Specs.IMAGE);
  private final ManualExecutor timers = new ManualExecutor();
  private Workspaces workspaces;
  private JobLogs logs;
  private JobRunner runner;

  @BeforeEach
  void wire() {
    workspaces = TestWorkspaces.at(data);
    runner = SeamWiring.runner(jobs, engine, workspaces, timers, new SeamWiring.Node());
    logs = runner.logs;
  }

  /** A job claimed by this node, as the dispatcher hands it over. */
  private JobId claimed(JobSpec spec) {
    return jobs.place(spec, STARTING);
  }

  private JobId claimed() {
    return claimed(Specs.job().spec());
  }

  private static String container(JobId id, int attempt) {
    return ContainerLabels.containerName(id.value(), attempt);
  }

  private static String container(JobId id) {
    return container(id, 1);
  }

  private void cancel(JobId id) {
    lifecycle.transition(id, CANCELLED, "cancelled by its owner");
  }

  private List<String> output(JobId id, int attempt) {
    return logs.lines(id, attempt).stream().map(LogLine::text).toList();
  }

  private List<String> history(JobId id) {
    return jobs.get(id).history().stream()
        .map(e -> e.to() + " " + e.reason())
        .toList()
        .subList(2, jobs.get(id).history().size()); // after QUEUED and the claim
  }

  private List<String> calls(String... operations) {
    return engine.calls().stream()
        .filter(c -> List.of(operations).contains(c.split(" ")[0]))
        .toList();
  }

  private static ContainerRuntimeException unreachable() {
    return new ContainerRuntimeException("Cannot connect to the Docker daemon", true, null);
  }

  // ---- how a container ends ----

  @Test
  void aContainerThatExitsWithZeroSucceedsWithItsOutputKeptAndIsRemoved() {
    JobId id = claimed();
    String c = container(id);
    engine.script(c, Script.exitsWith(0).prints("hello", "world"));

    runner.run(id);

    Job job = jobs.get(id);
    assertEquals(SUCCEEDED, job.state());
    assertEquals(0, job.exitCode());
    assertEquals(List.of("RUNNING container started", "SUCCEEDED exited with code 0"), history(id));
    assertEquals(List.of("hello", "world"), output(id, 1));
    assertEquals(
        List.of(
            "create " + c,
            "start " + c,
            "followLogs " + c,
            "awaitExit " + c,
            "readLogs " + c,
            "remove " + c),
        engine.calls());
    assertTrue(Files.isRegularFile(workspaces.outputZip(id)), "the outputs are archived");
    assertEquals(List.of(), timers.timers().stream().filter(t -> !t.isCancelled()).toList());
  }

  @Test
  void theContainerHasTheJobsCommandLimitsSandboxLabelsAndDirectories() {
    JobId id =
        claimed(Specs.job().env(Map.of("MODE", "fast"), Map.of("TOKEN", "hunter2-secret")).spec());
    engine.script(container(id), Script.exitsWith(0));

    runner.run(id);

    ContainerSpec spec = engine.created().get(0);
    assertEquals(container(id), spec.name());
    assertEquals(Specs.IMAGE, spec.image());
    assertEquals(List.of("sh", "-c", "run"), spec.command());
    assertEquals("fast", spec.env().get("MODE"));
    assertEquals("hunter2-secret", spec.env().get("TOKEN"));
    assertEquals(id.value(), spec.env().get("STEVEDORE_JOB_ID"));
    assertEquals("1", spec.env().get("STEVEDORE_ATTEMPT"));
    assertEquals("/workspace/in", spec.env().get("STEVEDORE_INPUT_DIR"));
    assertEquals("/workspace/out", spec.env().get("STEVEDORE_OUTPUT_DIR"));
    assertEquals(
        Map.of(
            ContainerLabels.JOB,
            id.value(),
            ContainerLabels.ATTEMPT,
            "1",
            ContainerLabels.NODE,
            InMemoryJobRepository.NODE,
            ContainerLabels.INSTALLATION,
            "inst-1"),
        spec.labels());
    assertEquals(new ContainerSpec.Limits(256L << 20, 1_000_000_000L, 128), spec.limits());
    assertEquals(SANDBOX, spec.sandbox());
    assertEquals("none", spec.network());
    assertEquals(
        List.of(
            new ContainerSpec.Mount(workspaces.inDir(id), "/workspace/in", true),
            new ContainerSpec.Mount(workspaces.outDir(id), "/workspace/out", false)),
        spec.mounts());
  }

  @Test
  void aSecretIsMaskedInTheStoredOutput() {
    JobId id = claimed(Specs.job().env(Map.of(), Map.of("TOKEN", "hunter2-secret")).spec());
    engine.script(container(id), Script.exitsWith(0).prints("token is hunter2-secret"));

    runner.run(id);

    assertEquals(List.of("token is ***"), output(id, 1));
  }

  @Test
  void aNonZeroExitFailsTheJobWithItsCode() {
    JobId id = claimed();
    engine.script(container(id), Script.exitsWith(3).printsToStderr("boom"));

    runner.run(id);

    assertEquals(FAILED, jobs.state(id));
    assertEquals(3, jobs.get(id).exitCode());
    assertEquals("exited with code 3", jobs.get(id).reason());
    assertEquals(List.of("boom"), output(id, 1));
    assertEquals(List.of(), List.copyOf(engine.names()));
  }

  @Test
  void aContainerKilledForItsMemoryFailsTheJob() {
    JobId id = claimed();
    engine.script(container(id), Script.oomKilled());

    runner.run(id);

    assertEquals(FAILED, jobs.state(id));
    assertEquals(InMemoryContainerRuntime.KILLED, jobs.get(id).exitCode());
    assertEquals("OOMKilled", jobs.get(id).reason());
  }

  @Test
  void aFailedAttemptThatItsPolicyRetriesIsQueuedAgainAndItsContainerRemoved() {
    JobId id = claimed(Specs.job().retry(2, 0).spec());
    engine.script(container(id), Script.exitsWith(1));

    runner.run(id);

    assertEquals(QUEUED, jobs.state(id));
    assertEquals(2, jobs.get(id).attempt());
    assertEquals(List.of(), List.copyOf(engine.names()));
  }

  @Test
  void theOutputsAreArchivedAndOutputsBeyondTheCapFailTheJob() {
    runner.outputs = TestWorkspaces.archive(workspaces, 10);
    JobId small = claimed();
    JobId large = claimed();
    engine.script(container(small), Script.exitsWith(0));
    engine.script(container(large), Script.exitsWith(0));

    engine.beforeNext("awaitExit", () -> write(workspaces.outDir(small).resolve("a.txt"), 5));
    runner.run(small);
    engine.beforeNext("awaitExit", () -> write(workspaces.outDir(large).resolve("b.txt"), 100));
    runner.run(large);

    assertEquals(SUCCEEDED, jobs.state(small));
    assertEquals(
        List.of(new OutputArchive.OutputFile("a.txt", 5)),
        runner.outputs.list(small).orElseThrow());
    assertEquals(FAILED, jobs.state(large));
    assertEquals(0, jobs.get(large).exitCode());
    assertEquals(
        "outputs exceed the cap of 10 bytes; no archive was written", jobs.get(large).reason());
  }

  // ---- the image ----

  @Test
  void anImageTheEngineLacksIsPulledAndTheContainerCreatedThen() {
    InMemoryContainerRuntime bare = new InMemoryContainerRuntime();
    runner.runtime = bare;
    JobId id = claimed();
    bare.script(container(id), Script.exitsWith(0));

    runner.run(id);

    assertEquals(SUCCEEDED, jobs.state(id));
    assertEquals(
        List.of("create " + container(id), "ensureImage " + Specs.IMAGE, "create " + container(id)),
        bare.calls().subList(0, 3));
  }

  @Test
  void anImageThatCannotBePulledFailsTheJobAndNothingStarts() {
    engine.withoutImage("gone:1");
    JobId id = claimed(Specs.job().image("gone:1").spec());

    runner.run(id);

    Job job = jobs.get(id);
    assertEquals(FAILED, job.state());
    assertNull(job.exitCode());
    assertTrue(job.reason().contains("could not be pulled"), job.reason());
    assertEquals(List.of("create " + container(id), "ensureImage gone:1"), engine.calls());
  }

  // ---- a cancel at each step of the start ----

  @Test
  void aCancelDuringThePullLeavesNoContainerAndKeepsTheFiles() {
    InMemoryContainerRuntime bare = new InMemoryContainerRuntime();
    runner.runtime = bare;
    JobId id = claimed();
    bare.beforeNext("ensureImage", () -> cancel(id));

    runner.run(id);

    assertEquals(CANCELLED, jobs.state(id));
    assertEquals(List.of("create " + container(id), "ensureImage " + Specs.IMAGE), bare.calls());
    assertTrue(Files.isDirectory(workspaces.jobDir(id)));
  }

  @Test
  void aJobCancelledAndDeletedDuringThePullLeavesNoFiles() {
    InMemoryContainerRuntime bare = new InMemoryContainerRuntime();
    runner.runtime = bare;
    JobId id = claimed();
    bare.beforeNext(
        "ensureImage",
        () -> {
          cancel(id);
          jobs.delete(id);
        });

    runner.run(id);

    assertFalse(Files.exists(workspaces.jobDir(id)));
    assertEquals(List.of(), List.copyOf(bare.names()));
  }

  @Test
  void aCancelDuringTheCreateRemovesTheContainerBeforeItStarts() {
    JobId id = claimed();
    engine.beforeNext("create", () -> cancel(id));

    runner.run(id);

    assertEquals(CANCELLED, jobs.state(id));
    assertEquals(List.of("create " + container(id), "remove " + container(id)), engine.calls());
  }

  @Test
  void aCancelDuringTheStartRemovesTheContainerAndRecordsNoRun() {
    JobId id = claimed();
    engine.beforeNext("start", () -> cancel(id));

    runner.run(id);

    assertEquals(CANCELLED, jobs.state(id));
    assertEquals(List.of("CANCELLED cancelled by its owner"), history(id));
    assertEquals(
        List.of("create " + container(id), "start " + container(id), "remove " + container(id)),
        engine.calls());
  }

  @Test
  void aJobNoLongerStartingWhenItsRunnerBeginsIsLeftAlone() {
    JobId id = claimed();
    cancel(id);

    runner.run(id);

    assertEquals(List.of(), engine.calls());
    assertEquals(CANCELLED, jobs.state(id));
  }

  // ---- the engine failing ----

  @Test
  void anEngineThatCannotBeReachedAtTheCreateSendsTheJobBackToWait() {
    JobId id = claimed();
    engine.failNext("create", unreachable());

    runner.run(id);

    Job job = jobs.get(id);
    assertEquals(QUEUED, job.state());
    assertEquals(1, job.attempt(), "no attempt was used up");
    assertEquals(
        "Docker engine unavailable: Cannot connect to the Docker daemon", job.reason(), "reason");
    assertTrue(job.notBefore().isAfter(Instant.now().plusSeconds(3)), "it waits a little");
    assertEquals(List.of(), List.copyOf(engine.names()));
  }

  @Test
  void aContainerCreatedBeforeTheEngineWasLostIsKeptAndAdoptedByTheNextTry() {
    JobId id = claimed();
    engine.script(container(id), Script.exitsWith(0));
    engine.failNext("start", unreachable());

    runner.run(id);

    assertEquals(QUEUED, jobs.state(id));
    assertEquals(List.of(container(id)), List.copyOf(engine.names()));

    assertTrue(
        lifecycle
            .claim(
                List.of(
                    new dev.stevedore.job.JobRepository.Candidate(
                        id, jobs.get(id).tenantId(), null)),
                InMemoryJobRepository.NODE,
                java.time.Instant.now())
            .contains(id));
    runner.run(id);

    assertEquals(SUCCEEDED, jobs.state(id));
    assertEquals(1, engine.created().size(), "the container made before was used");
  }

  @Test
  void aContainerTheEngineRefusesFailsTheJob() {
    JobId refusedCreate = claimed();
    JobId refusedStart = claimed();
    engine.refuseNext("create");
    runner.run(refusedCreate);
    engine.refuseNext("start");
    runner.run(refusedStart);

    assertEquals(FAILED, jobs.state(refusedCreate));
    assertEquals("The engine refused to create (scripted)", jobs.get(refusedCreate).reason());
    assertEquals(FAILED, jobs.state(refusedStart));
    assertEquals("The engine refused to start (scripted)", jobs.get(refusedStart).reason());
    assertEquals(List.of(), List.copyOf(engine.names()));
  }

  @Test
  void anEngineLostWhileTheContainerRunsLeavesTheJobToTheReconciler() throws Exception {
    JobId id = claimed();
    String c = container(id);
    CompletableFuture<Void> running = CompletableFuture.runAsync(() -> runner.run(id));
    await().until(() -> engine.calls().contains("followLogs " + c));

    engine.engineDown();
    running.get(10, TimeUnit.SECONDS);

    assertEquals(RUNNING, jobs.state(id), "nothing is known of its end");
    assertTrue(timers.timers().get(0).isCancelled(), "its deadline no longer counts here");
    engine.engineUp();
    assertTrue(engine.status(c).orElseThrow().running());
  }

  // ---- the deadline ----

  @Test
  void theDeadlineStopsAContainerThatStillRuns() {
    JobId id = claimed(Specs.job().timeoutSeconds(30).spec());
    engine.script(container(id), Script.runsUntilStopped().prints("working"));
    engine.beforeNext("followLogs", timers::fireScheduled); // the deadline passes

    runner.run(id);

    Job job = jobs.get(id);
    assertEquals(TIMED_OUT, job.state());
    assertEquals(InMemoryContainerRuntime.KILLED, job.exitCode());
    assertEquals("deadline of 30 s passed", job.reason());
    assertEquals(List.of("working"), output(id, 1));
    long delay = timers.timers().get(0).delayMillis;
    assertTrue(delay > 29_000 && delay <= 30_000, delay + " ms");
  }

  @Test
  void aDeadlineThatPassesAfterTheContainerEndedChangesNothing() {
    JobId id = claimed();
    engine.script(container(id), Script.exitsWith(0));
    engine.beforeNext("awaitExit", timers::fireScheduled);

    runner.run(id);

    assertEquals(SUCCEEDED, jobs.state(id));
    assertEquals(List.of(), calls("stop"));
  }

  @Test
  void aContainerEndedByAnEngineRestartIsRequeuedAsANewAttemptWithNothingArchived() {
    JobId id = claimed(Specs.job().retry(1, 0).spec());
    String c = container(id);
    engine.beforeNext("followLogs", () -> engine.killByEngine(c));

    runner.run(id);

    Job job = jobs.get(id);
    assertEquals(QUEUED, job.state());
    assertEquals(2, job.attempt());
    assertEquals(1, job.engineInterruptions());
    assertFalse(Files.exists(workspaces.outputZip(id)));
    assertEquals(List.of(), List.copyOf(engine.names()));
  }

  // ---- taking over a container ----

  @Test
  void aRunningJobWhoseContainerEndedWhileNobodyWatchedIsFinishedWithItsCode() {
    JobId id = jobs.place(Specs.job().spec(), STARTING, RUNNING);
    engine.script(container(id), Script.exitsWith(2).prints("done badly"));
    existing(id, true);

    runner.resume(id);

    assertEquals(FAILED, jobs.state(id));
    assertEquals(2, jobs.get(id).exitCode());
    assertEquals(List.of("done badly"), output(id, 1));
    assertEquals(List.of(), List.copyOf(engine.names()));
  }

  @Test
  void aStartingJobWhoseContainerNeverRanIsStartedAndFollowed() {
    JobId id = claimed();
    engine.script(container(id), Script.exitsWith(0));
    existing(id, false);

    runner.resume(id);

    assertEquals(SUCCEEDED, jobs.state(id));
    assertEquals(List.of("RUNNING container adopted", "SUCCEEDED exited with code 0"), history(id));
  }

  @Test
  void aStartingJobWithoutContainerIsLeftForTheReconcilerToRequeue() {
    JobId id = claimed();

    runner.resume(id);

    assertEquals(STARTING, jobs.state(id));
    assertEquals(List.of("status " + container(id)), engine.calls());
  }

  @Test
  void theStoppedContainerOfACancelledJobIsCollectedThenRemoved() {
    JobId id = jobs.place(Specs.job().spec(), STARTING, RUNNING, CANCELLED);
    engine.script(container(id), Script.exitsWith(137).prints("stopped mid-way"));
    existing(id, true);
    JobId later = jobs.place(Specs.job().spec(), STARTING, RUNNING, CANCELLED);
    jobs.attempt(later, 2);
    engine.script(container(later), Script.exitsWith(0).prints("an earlier attempt"));
    existing(later, true);

    runner.collectCancelled(id, 1, container(id));
    runner.collectCancelled(later, 1, container(later));

    assertEquals(List.of("stopped mid-way"), output(id, 1));
    assertTrue(Files.isRegularFile(workspaces.outputZip(id)));
    assertEquals(List.of(), output(later, 1), "an earlier attempt's output is not kept");
    assertEquals(List.of(), List.copyOf(engine.names()));
    assertEquals(CANCELLED, jobs.state(id));
  }

  // ---- the world around it ----

  /** The job's container, made before this runner (and started if {@code started}). */
  private void existing(JobId id, boolean started) {
    String name = container(id);
    engine.create(
        new ContainerSpec(
            name,
            Specs.IMAGE,
            null,
            Map.of(),
            Map.of(ContainerLabels.JOB, id.value()),
            new ContainerSpec.Limits(1, 1, 1),
            SANDBOX,
            "none",
            List.of()));
    if (started) {
      engine.start(name);
    }
  }

  private static void write(Path file, int bytes) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, new byte[bytes]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

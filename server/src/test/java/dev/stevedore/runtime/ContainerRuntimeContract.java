package dev.stevedore.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link ContainerRuntime} must do, as the orchestrator relies on it. A subclass gives
 * the runtime and says how to make a container that prints lines and exits, one that writes on
 * stderr, and one that runs until stopped. Every container made here carries an installation label
 * {@code contract-test-<random>} (see {@link #installations()}) and a unique name.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class ContainerRuntimeContract {

  /** An image every runtime under test has. */
  protected static final String IMAGE = "stevedore/agent:latest";

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String installation = "contract-test-" + run;
  private final String otherInstallation = "contract-test-" + run + "-other";
  private int containers;

  protected ContainerRuntime runtime;

  /** The runtime under test, fresh for each test. */
  protected abstract ContainerRuntime newRuntime();

  /** A container that prints {@code line-1} to {@code line-<lines>} on stdout and exits so. */
  protected abstract ContainerSpec printing(
      String name, Map<String, String> labels, int lines, int exitCode);

  /** A container that prints this one line on stderr and exits with 0. */
  protected abstract ContainerSpec printingToStderr(
      String name, Map<String, String> labels, String text);

  /** A container that runs until stopped, and does not end on SIGTERM. */
  protected abstract ContainerSpec runningUntilStopped(String name, Map<String, String> labels);

  /** A command to run in a running container that prints this one line and exits so. */
  protected abstract ExecSpec printingExec(String text, int exitCode);

  @BeforeEach
  void setUpRuntime() {
    runtime = newRuntime();
    runtime.ensureImage(IMAGE);
  }

  /** The installation labels of every container the tests make. */
  protected List<String> installations() {
    return List.of(installation, otherInstallation);
  }

  /** A spec as the orchestrator builds one, confined and without network or mounts. */
  protected static ContainerSpec spec(
      String name, String image, List<String> command, Map<String, String> labels) {
    return new ContainerSpec(
        name,
        image,
        command,
        Map.of(),
        labels,
        new ContainerSpec.Limits(64L * 1024 * 1024, 500_000_000L, 64),
        new Sandbox(true, true, true, 16L * 1024 * 1024, "65534:65534", 256, 64, null),
        "none",
        List.of());
  }

  private String name() {
    return "stevedore-contract-" + run + "-" + ++containers;
  }

  private Map<String, String> labels(String installation, String job) {
    return Map.of(
        ContainerLabels.INSTALLATION,
        installation,
        ContainerLabels.JOB,
        job,
        ContainerLabels.ATTEMPT,
        "1");
  }

  private Map<String, String> labels() {
    return labels(installation, "job-" + run);
  }

  private record Received(LogSink.Stream stream, Instant time, String text) {}

  private static List<Received> read(ContainerRuntime runtime, String name, boolean follow) {
    List<Received> lines = new ArrayList<>();
    LogSink sink = (stream, time, text) -> lines.add(new Received(stream, time, text));
    if (follow) {
      runtime.followLogs(name, sink);
    } else {
      runtime.readLogs(name, sink);
    }
    return lines;
  }

  @Test
  void createOfAnExistingNameAdoptsItInsteadOfMakingASecond() {
    ContainerSpec spec = runningUntilStopped(name(), labels());

    String first = runtime.create(spec);
    String second = runtime.create(spec);

    assertEquals(first, second);
    assertEquals(
        1,
        runtime.listManaged(installation).stream()
            .filter(c -> c.name().equals(spec.name()))
            .count());
  }

  @Test
  void startOfARunningContainerIsFine() {
    String name = name();
    String id = runtime.create(runningUntilStopped(name, labels()));

    runtime.start(name);
    runtime.start(name);

    ContainerStatus status = runtime.status(name).orElseThrow();
    assertEquals(id, status.id());
    assertTrue(status.running());
    assertEquals(null, status.exit());
  }

  @Test
  void aCreatedContainerDoesNotRunYet() {
    String name = name();
    runtime.create(runningUntilStopped(name, labels()));

    ContainerStatus status = runtime.status(name).orElseThrow();
    assertFalse(status.running());
    assertEquals(null, status.exit());
  }

  @Test
  void labelsAreKeptAndListManagedFiltersByInstallation() {
    String ours = name();
    String theirs = name();
    String unmanaged = name();
    runtime.create(runningUntilStopped(ours, labels()));
    runtime.create(runningUntilStopped(theirs, labels(otherInstallation, "job-other")));
    // Labelled with the installation but not with a job: not one of the orchestrator's.
    runtime.create(
        runningUntilStopped(unmanaged, Map.of(ContainerLabels.INSTALLATION, installation)));

    List<ManagedContainer> listed = runtime.listManaged(installation);

    assertEquals(List.of(ours), listed.stream().map(ManagedContainer::name).toList());
    assertEquals(labels(), filtered(listed.get(0).labels()));
    assertEquals("created", listed.get(0).state());
    assertEquals(
        List.of(theirs),
        runtime.listManaged(otherInstallation).stream().map(ManagedContainer::name).toList());
    assertEquals(List.of(), runtime.listManaged("contract-test-" + run + "-nobody"));
  }

  /** The image's own labels may show beside the container's: compare only ours. */
  private static Map<String, String> filtered(Map<String, String> labels) {
    return Map.copyOf(
        labels.entrySet().stream()
            .filter(e -> e.getKey().startsWith("stevedore."))
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  @Test
  void stopThenAwaitExitGivesTheExit() {
    String name = name();
    runtime.create(runningUntilStopped(name, labels()));
    runtime.start(name);

    runtime.stop(name, Duration.ZERO);
    ContainerExit exit = runtime.awaitExit(name);

    assertNotEquals(0, exit.exitCode());
    assertFalse(exit.oomKilled());
    assertNotNull(exit.finishedAt());
    ContainerStatus status = runtime.status(name).orElseThrow();
    assertFalse(status.running());
    assertEquals(exit.exitCode(), status.exit().exitCode());
    assertEquals(
        "exited",
        runtime.listManaged(installation).stream()
            .filter(c -> c.name().equals(name))
            .findFirst()
            .orElseThrow()
            .state());
  }

  @Test
  void stopOfAStoppedOrMissingContainerIsFine() {
    String name = name();
    runtime.create(printing(name, labels(), 0, 0));
    runtime.start(name);
    runtime.awaitExit(name);

    runtime.stop(name, Duration.ZERO);
    runtime.stop(name(), Duration.ZERO);

    assertEquals(0, runtime.status(name).orElseThrow().exit().exitCode());
  }

  @Test
  void removeIsIdempotentAndLeavesNoStatus() {
    String name = name();
    runtime.create(runningUntilStopped(name, labels()));
    runtime.start(name);

    runtime.remove(name);
    runtime.remove(name);
    runtime.remove(name());

    assertTrue(runtime.status(name).isEmpty());
    assertTrue(
        runtime.listManaged(installation).stream().noneMatch(c -> c.name().equals(name)),
        "a removed container is not listed");
  }

  @Test
  void aContainerCanBeAddressedByItsIdAsByItsName() {
    String name = name();
    String id = runtime.create(runningUntilStopped(name, labels()));
    runtime.start(id);

    assertTrue(runtime.status(id).orElseThrow().running());
    runtime.stop(id, Duration.ZERO);
    assertNotEquals(0, runtime.awaitExit(id).exitCode());
    runtime.remove(id);

    assertTrue(runtime.status(name).isEmpty());
  }

  @Test
  void statusOfAMissingContainerIsEmpty() {
    assertTrue(runtime.status(name()).isEmpty());
  }

  @Test
  void callsThatNeedAMissingContainerAreRefused() {
    String name = name();

    assertThrows(ContainerRefusedException.class, () -> runtime.start(name));
    assertThrows(ContainerRefusedException.class, () -> runtime.awaitExit(name));
  }

  @Test
  void execRunsACommandInARunningContainerWithItsOutputAndExitCode() {
    String name = name();
    runtime.create(runningUntilStopped(name, labels()));
    runtime.start(name);
    try {
      List<Received> lines = new ArrayList<>();
      int exit =
          runtime.exec(
              name,
              printingExec("from-exec", 3),
              (stream, time, text) -> lines.add(new Received(stream, time, text)));

      assertEquals(3, exit);
      assertEquals(List.of("from-exec"), lines.stream().map(Received::text).toList());
      assertEquals(LogSink.Stream.STDOUT, lines.get(0).stream());
      assertTrue(runtime.status(name).orElseThrow().running(), "the container runs on");
    } finally {
      runtime.remove(name);
    }
  }

  @Test
  void aSignalReachesARunningContainerAndAMissingOneIsRefused() {
    String name = name();
    runtime.create(runningUntilStopped(name, labels()));
    runtime.start(name);
    try {
      runtime.signal(name, "USR1");
      assertTrue(runtime.status(name).orElseThrow().running());
    } finally {
      runtime.remove(name);
    }
    assertThrows(ContainerRefusedException.class, () -> runtime.signal(name(), "USR1"));
  }

  @Test
  void execInAMissingOrStoppedContainerIsRefused() {
    String missing = name();
    assertThrows(
        ContainerRefusedException.class,
        () -> runtime.exec(missing, printingExec("x", 0), (stream, time, text) -> {}));
    String stopped = name();
    runtime.create(printing(stopped, labels(), 1, 0));
    runtime.start(stopped);
    runtime.awaitExit(stopped);
    try {
      assertThrows(
          ContainerRefusedException.class,
          () -> runtime.exec(stopped, printingExec("x", 0), (stream, time, text) -> {}));
    } finally {
      runtime.remove(stopped);
    }
  }

  @Test
  void readLogsAfterTheExitGivesEveryLineOnceInOrder() {
    String name = name();
    Instant before = Instant.now().minusSeconds(5); // the engine's clock may differ a little
    runtime.create(printing(name, labels(), 5, 3));
    runtime.start(name);

    ContainerExit exit = runtime.awaitExit(name);
    List<Received> lines = read(runtime, name, false);

    assertEquals(3, exit.exitCode());
    assertFalse(exit.oomKilled());
    assertNotNull(exit.finishedAt());
    assertEquals(
        IntStream.rangeClosed(1, 5).mapToObj(i -> "line-" + i).toList(),
        lines.stream().map(Received::text).toList());
    Instant previous = before;
    for (Received line : lines) {
      assertEquals(LogSink.Stream.STDOUT, line.stream());
      assertNotNull(line.time());
      assertFalse(line.time().isBefore(previous), "times do not go back");
      previous = line.time();
    }
    ContainerStatus status = runtime.status(name).orElseThrow();
    assertFalse(status.running());
    assertEquals(3, status.exit().exitCode());
    assertEquals(lines, read(runtime, name, false), "a second read gives the same");
  }

  @Test
  void linesOnStderrAreToldApart() {
    String name = name();
    runtime.create(printingToStderr(name, labels(), "something failed"));
    runtime.start(name);
    runtime.awaitExit(name);

    List<Received> lines = read(runtime, name, false);

    assertEquals(1, lines.size());
    assertEquals(LogSink.Stream.STDERR, lines.get(0).stream());
    assertEquals("something failed", lines.get(0).text());
  }

  @Test
  void followLogsReturnsOnceTheContainerHasEndedWithItsLinesInOrder() {
    String name = name();
    runtime.create(printing(name, labels(), 3, 0));
    runtime.start(name);

    List<Received> followed = read(runtime, name, true);

    // A follower may miss a last line the engine wrote while the container exited.
    List<String> all = List.of("line-1", "line-2", "line-3");
    assertEquals(all.subList(0, followed.size()), followed.stream().map(Received::text).toList());
    assertEquals(0, runtime.awaitExit(name).exitCode());
  }

  @Test
  void createWithAMissingImageIsImageUnavailable() {
    ContainerSpec spec =
        spec(
            name(), "stevedore/contract-test-absent:" + run, List.of("sh", "-c", "true"), labels());

    assertThrows(ImageUnavailableException.class, () -> runtime.create(spec));
    assertTrue(runtime.status(spec.name()).isEmpty());
  }
}

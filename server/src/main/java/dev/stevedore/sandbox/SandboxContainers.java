package dev.stevedore.sandbox;

import dev.stevedore.core.LogText;
import dev.stevedore.core.NodeIdentity;
import dev.stevedore.job.JobSpec;
import dev.stevedore.pool.WarmPools;
import dev.stevedore.runtime.ContainerExit;
import dev.stevedore.runtime.ContainerLabels;
import dev.stevedore.runtime.ContainerRefusedException;
import dev.stevedore.runtime.ContainerRuntime;
import dev.stevedore.runtime.ContainerSpec;
import dev.stevedore.runtime.ContainerStatus;
import dev.stevedore.runtime.ExecSpec;
import dev.stevedore.runtime.ImageUnavailableException;
import dev.stevedore.runtime.LogSink;
import dev.stevedore.runtime.ManagedContainer;
import dev.stevedore.runtime.SandboxPolicy;
import dev.stevedore.workspace.Workspaces;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The engine's side of this node's sandboxes: starts their containers (cold, or handed over by a
 * warm pool), runs commands in them with a deadline, copies files in, and removes them.
 *
 * <p>A sandbox container runs a small keeper as its main process; each command is an exec of its
 * own as the sandbox user, started by a one-line shell wrapper that first tells its process id. The
 * engine makes every exec the leader of a process group of its own, so that a command past its
 * deadline is ended with its whole group by one more exec, and the sandbox goes on.
 */
@ApplicationScoped
public class SandboxContainers {

  private static final Logger LOG = Logger.getLogger(SandboxContainers.class.getName());

  /** The main process: waits, and ends at SIGTERM. */
  static final List<String> KEEPER =
      List.of("/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 3600 & wait; done");

  /**
   * Runs a command: tells its process id on the first line of stdout, then becomes the command,
   * given the text of STEVEDORE_STDIN (removed from its environment) as its input if there is one.
   */
  static final String WRAPPER =
      "echo $$; if [ -n \"${STEVEDORE_STDIN+x}\" ]; then s=$STEVEDORE_STDIN;"
          + " unset STEVEDORE_STDIN; printf '%s' \"$s\" | \"$@\"; else exec \"$@\"; fi";

  static final String STDIN_VARIABLE = "STEVEDORE_STDIN";

  @Inject ContainerRuntime runtime;
  @Inject SandboxPolicy policy;
  @Inject NodeIdentity node;
  @Inject Workspaces workspaces;
  @Inject WarmPools pools;

  @Resource ManagedScheduledExecutorService scheduler;

  /** A container started for a sandbox, and its workspace as the host sees it. */
  record Started(String container, SandboxFiles files, boolean warm) {}

  /** How a command ended. {@code exitCode} is null when the container went away under it. */
  record Ran(Integer exitCode, boolean timedOut, Instant startedAt, long durationMs) {}

  /** The container name of a sandbox started cold: one name, so a restart finds it. */
  static String containerName(String sandbox) {
    return "stevedore-sandbox-" + sandbox;
  }

  /** Starts a container of the image for the sandbox, with its workspace bound at /workspace. */
  Started startCold(String sandbox, String image, JobSpec.Resources resources, String network) {
    String name = containerName(sandbox);
    Path work = workDir(sandbox);
    try {
      Files.createDirectories(work);
      // The sandbox user owns nothing on the host: the directory is open to it instead.
      Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
    } catch (IOException e) {
      throw new IllegalStateException("its workspace could not be made: " + e.getMessage(), e);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ContainerLabels.SANDBOX, sandbox);
    labels.put(ContainerLabels.NODE, node.name());
    labels.put(ContainerLabels.INSTALLATION, node.installation());
    ContainerSpec spec =
        new ContainerSpec(
            name,
            image,
            KEEPER,
            Map.of("STEVEDORE_SANDBOX", sandbox),
            labels,
            new ContainerSpec.Limits(
                resources.memoryMb() * 1024L * 1024L,
                Math.round(resources.cpus() * 1_000_000_000d),
                resources.pids()),
            policy.sandbox(),
            network,
            List.of(new ContainerSpec.Mount(work, Workspaces.CONTAINER_WORKSPACE, false)));
    try {
      runtime.create(spec);
    } catch (ImageUnavailableException missing) {
      runtime.ensureImage(image);
      runtime.create(spec);
    }
    runtime.start(name);
    return new Started(name, files(sandbox, null, name), false);
  }

  /** Takes a container of the pool: a warm one if one is free, else one started now. */
  Started fromPool(String sandbox, String pool, String tenant) {
    WarmPools.HandedOver handed = pools.handOver(pool, tenant, sandbox);
    return new Started(handed.container(), files(sandbox, pool, handed.container()), handed.warm());
  }

  /** The workspace of a sandbox as the host sees it. */
  SandboxFiles files(String sandbox, String pool, String container) {
    if (pool == null) {
      return new SandboxFiles(workDir(sandbox), null, null);
    }
    Path dir = pools.directoryOf(container);
    return new SandboxFiles(dir.resolve("work"), dir.resolve("in"), dir.resolve("out"));
  }

  /**
   * Runs a command as the sandbox user; its output goes to {@code sink}. Past {@code timeout} the
   * command and every process of its group are killed, and the answer says so.
   */
  Ran exec(
      String container,
      List<String> command,
      Map<String, String> env,
      String workingDir,
      String stdin,
      Duration timeout,
      LogSink sink) {
    List<String> wrapped = new ArrayList<>(command.size() + 4);
    wrapped.add("/bin/sh");
    wrapped.add("-c");
    wrapped.add(WRAPPER);
    wrapped.add("stevedore-exec");
    wrapped.addAll(command);
    Map<String, String> environment = new LinkedHashMap<>(env);
    if (stdin != null) {
      environment.put(STDIN_VARIABLE, stdin);
    }
    AtomicReference<String> pid = new AtomicReference<>();
    AtomicBoolean timedOut = new AtomicBoolean();
    AtomicBoolean done = new AtomicBoolean();
    LogSink output =
        (stream, time, text) -> {
          if (stream == LogSink.Stream.STDOUT && pid.get() == null) {
            pid.set(text.trim());
            return;
          }
          sink.line(stream, time, text);
        };
    Instant started = Instant.now();
    long start = System.nanoTime();
    ScheduledFuture<?> deadline =
        scheduler.schedule(
            () -> killWhenKnown(container, pid, done, timedOut),
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    Integer exit;
    try {
      exit =
          runtime.exec(
              container,
              new ExecSpec(wrapped, environment, policy.sandbox().user(), workingDir),
              output);
    } catch (ContainerRefusedException gone) {
      exit = null;
    } catch (RuntimeException lost) {
      // The answer was lost (the engine failed, the reader was interrupted): the command may still
      // run, with no deadline watching it any more. It is ended now.
      done.set(true);
      kill(container, pid.get());
      throw lost;
    } finally {
      done.set(true);
      deadline.cancel(false);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    return new Ran(exit, timedOut.get(), started, millis);
  }

  /** Kills the command's process group once its id is known; the command may not have told yet. */
  private void killWhenKnown(
      String container, AtomicReference<String> pid, AtomicBoolean done, AtomicBoolean timedOut) {
    if (done.get()) {
      return;
    }
    timedOut.set(true);
    String known = pid.get();
    if (known == null || !known.matches("[0-9]{1,9}")) {
      scheduler.schedule(
          () -> killWhenKnown(container, pid, done, timedOut), 50, TimeUnit.MILLISECONDS);
      return;
    }
    kill(container, known);
  }

  /** Kills a command's process group (and the command, if it is not a group leader). */
  private void kill(String container, String pid) {
    if (pid == null || !pid.matches("[0-9]{1,9}")) {
      return;
    }
    try {
      runtime.exec(
          container,
          new ExecSpec(
              List.of(
                  "/bin/sh", "-c", "kill -9 -$0 2>/dev/null; kill -9 $0 2>/dev/null; exit 0", pid),
              Map.of(),
              policy.sandbox().user(),
              null),
          (stream, time, text) -> {});
    } catch (RuntimeException e) {
      LOG.warning(
          "Could not end a command in " + container + ": " + LogText.escape(e.getMessage()));
    }
  }

  /** How many processes of the container the kernel has killed for their memory. */
  long oomKills(String container) {
    return pools.oomKills(container);
  }

  /** Unpacks an archive at /workspace. */
  void copyIn(String container, InputStream tar) {
    runtime.copyIn(container, Workspaces.CONTAINER_WORKSPACE, tar);
  }

  /** Removes the container and the sandbox's directories; what is gone already is fine. */
  void remove(String sandbox, String pool, String container) {
    if (container != null) {
      try {
        runtime.remove(container);
      } catch (RuntimeException e) {
        LOG.warning("Could not remove " + container + ": " + LogText.escape(e.getMessage()));
      }
    } else if (pool != null) {
      return; // no container was handed over yet: nothing of the sandbox's exists
    }
    Path dir = pool == null ? sandboxesDir().resolve(sandbox) : pools.directoryOf(container);
    try {
      Workspaces.deleteTree(dir);
    } catch (IOException e) {
      LOG.warning("Could not remove the directory of sandbox " + sandbox + ": " + e.getMessage());
    }
  }

  /** How the container ended, or empty while it runs. */
  Optional<String> endedHow(String container) {
    Optional<ContainerStatus> status = runtime.status(container);
    if (status.isEmpty()) {
      return Optional.of("its container disappeared");
    }
    if (status.get().running()) {
      return Optional.empty();
    }
    ContainerExit exit = status.get().exit();
    if (exit != null && exit.oomKilled()) {
      return Optional.of("its container was OOM-killed");
    }
    return Optional.of(
        exit == null
            ? "its container stopped"
            : "its container exited with code " + exit.exitCode());
  }

  /** The names of this installation's running containers; null when the engine cannot tell. */
  Set<String> runningContainers() {
    try {
      return runtime.listManaged(node.installation()).stream()
          .filter(c -> "running".equals(c.state()))
          .map(ManagedContainer::name)
          .collect(Collectors.toSet());
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Removes what sandboxes of this node left that none of {@code live} owns: their containers (made
   * for them, or handed over by a pool) and their directories.
   */
  void sweep(Set<String> live) {
    List<ManagedContainer> listed;
    try {
      listed =
          runtime.listManaged(node.installation()).stream()
              .filter(c -> node.name().equals(c.labels().get(ContainerLabels.NODE)))
              .toList();
    } catch (RuntimeException e) {
      LOG.warning("Sandbox containers cannot be listed now: " + LogText.escape(e.getMessage()));
      return;
    }
    for (ManagedContainer c : listed) {
      String owner = c.labels().get(ContainerLabels.SANDBOX);
      String pool = null;
      if (owner == null && c.labels().containsKey(ContainerLabels.POOL)) {
        owner = handedTo(c.name());
        pool = c.labels().get(ContainerLabels.POOL);
      }
      if (owner != null && !live.contains(owner)) {
        LOG.info("Removing container " + c.name() + " of ended sandbox " + owner);
        remove(owner, pool, c.name());
      }
    }
    try (var dirs = Files.newDirectoryStream(sandboxesDir())) {
      for (Path dir : dirs) {
        if (!live.contains(dir.getFileName().toString())) {
          Workspaces.deleteTree(dir);
        }
      }
    } catch (java.nio.file.NoSuchFileException none) {
      // No sandbox has been started cold here yet.
    } catch (IOException e) {
      LOG.warning("Could not clean the sandboxes' directories: " + e.getMessage());
    }
  }

  /** The sandbox a pool's container was handed over to, or null. */
  private String handedTo(String container) {
    try {
      return Files.readString(
              pools.directoryOf(container).resolve(WarmPools.SANDBOX_MARKER),
              java.nio.charset.StandardCharsets.UTF_8)
          .trim();
    } catch (IOException e) {
      return null;
    }
  }

  Path sandboxesDir() {
    return workspaces.dataDir().resolve("sandboxes");
  }

  private Path workDir(String sandbox) {
    return sandboxesDir().resolve(sandbox).resolve("work");
  }
}

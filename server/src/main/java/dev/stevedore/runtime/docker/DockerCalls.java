package dev.stevedore.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.AsyncDockerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.api.model.Volume;
import dev.stevedore.core.LogText;
import dev.stevedore.runtime.ContainerExit;
import dev.stevedore.runtime.ContainerLabels;
import dev.stevedore.runtime.ContainerRefusedException;
import dev.stevedore.runtime.ContainerRuntimeException;
import dev.stevedore.runtime.ContainerSpec;
import dev.stevedore.runtime.ContainerStatus;
import dev.stevedore.runtime.EngineInfo;
import dev.stevedore.runtime.EngineOutages;
import dev.stevedore.runtime.ExecSpec;
import dev.stevedore.runtime.ImagePolicy;
import dev.stevedore.runtime.ImageUnavailableException;
import dev.stevedore.runtime.LogSink;
import dev.stevedore.runtime.ManagedContainer;
import dev.stevedore.runtime.Sandbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * The calls to the Docker Engine API through docker-java, and how their failures are told apart: a
 * refusal of this call ({@link ContainerRefusedException}), an image that cannot be had ({@link
 * ImageUnavailableException}), or an engine that cannot be reached ({@link
 * ContainerRuntimeException} with {@code engineUnreachable}).
 *
 * <p>The calls that count against the engine's circuit breakers reach this class through {@link
 * DockerContainerRuntime}, which declares their Fault Tolerance. The two probes, {@link #info} and
 * {@link #isAvailable}, carry their own bounds and no breaker: they are what tells that the engine
 * is back. {@link #followLogs} and {@link #interruptedByEngine} are not guarded at all. {@link
 * DockerEngine} puts them together as the {@link dev.stevedore.runtime.ContainerRuntime}.
 */
@ApplicationScoped
class DockerCalls {

  private static final Logger LOG = Logger.getLogger(DockerCalls.class.getName());

  @Inject DockerClients clients;
  @Inject EngineOutages outages;
  @Inject ImagePolicy images;

  @Inject
  @ConfigProperty(name = "stevedore.docker.pull-timeout-seconds")
  int pullTimeoutSeconds;

  /** Longest output line kept; the rest of a longer line is dropped behind a marker. */
  @Inject
  @ConfigProperty(name = "stevedore.logs.max-line-bytes")
  int maxLineBytes;

  /**
   * Bounded and retried, but never paused by a breaker: the node's status sees the engine return.
   */
  @Timeout(10_000)
  @Retry(maxRetries = 2, delay = 200, jitter = 50, abortOn = ContainerRefusedException.class)
  public EngineInfo info() {
    Version version = call("read the engine version", () -> clients.control().versionCmd().exec());
    Info info = call("read the engine's facts", () -> clients.control().infoCmd().exec());
    return new EngineInfo(
        // Two engines on one machine share the daemon's key, and so its id; never a root directory.
        info.getDockerRootDir() == null
            ? info.getId()
            : info.getId() + "@" + info.getDockerRootDir(),
        clients.host(),
        version.getVersion(),
        version.getApiVersion(),
        version.getOperatingSystem(),
        info.getRuntimes() == null ? Set.of() : Set.copyOf(info.getRuntimes().keySet()),
        info.getDriver(),
        info.getContainersRunning() == null ? 0 : info.getContainersRunning(),
        info.getImages() == null ? 0 : info.getImages());
  }

  /** Answers quickly whether the engine can be used now, and keeps the outages' record. */
  @Timeout(5_000)
  public boolean isAvailable() {
    try {
      clients.control().pingCmd().exec();
      outages.answered(Instant.now());
      return true;
    } catch (RuntimeException e) {
      outages.unreachable(Instant.now());
      return false;
    }
  }

  public boolean interruptedByEngine(ContainerExit exit) {
    if (!clients.acceptsConnections()) {
      outages.unreachable(Instant.now());
      return true;
    }
    isAvailable(); // ends an outage that is over, so that it does not stretch to later exits
    return outages.overlaps(exit.startedAt(), exit.finishedAt());
  }

  public void ensureImage(String image) {
    try {
      clients.control().inspectImageCmd(image).exec();
      return;
    } catch (NotFoundException absent) {
      // Checked at submission too; the configuration may have changed since.
      if (images.refusal(image).isPresent()) {
        throw new ImageUnavailableException(
            image, "its registry is not allowed on this server, so it is not pulled");
      }
      LOG.info(() -> "Pulling image " + image);
    } catch (RuntimeException e) {
      throw failure("inspect image " + image, e);
    }
    ImageReference reference = ImageReference.parse(image);
    try {
      boolean done =
          clients
              .streaming()
              .pullImageCmd(reference.repository())
              .withTag(reference.tagOrDigest())
              .exec(new PullImageResultCallback())
              .awaitCompletion(pullTimeoutSeconds, TimeUnit.SECONDS);
      if (!done) {
        throw new ImageUnavailableException(
            image, "the pull did not finish within " + pullTimeoutSeconds + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerRuntimeException("Interrupted while pulling " + image, true, e);
    } catch (DockerException e) {
      if (e.getHttpStatus() >= 500 && !clients.acceptsConnections()) {
        throw failure("pull image " + image, e);
      }
      throw pullFailed(image, e, e.getHttpStatus());
    } catch (ImageUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      if (isConnectionFailure(e)) {
        throw failure("pull image " + image, e);
      }
      throw pullFailed(image, e, 0);
    }
  }

  public String create(ContainerSpec spec) {
    DockerClient docker = clients.control();
    HostConfig host = hostConfig(spec);
    try {
      var create =
          docker
              .createContainerCmd(spec.image())
              .withName(spec.name())
              .withLabels(spec.labels())
              .withEnv(
                  spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
              .withHostConfig(host);
      if (spec.sandbox().user() != null && !spec.sandbox().user().isBlank()) {
        create.withUser(spec.sandbox().user());
      }
      if (spec.command() != null) {
        create.withCmd(spec.command());
      }
      return create.exec().getId();
    } catch (ConflictException exists) {
      // Created by an earlier try of this call, or before a restart: adopt it.
      String id =
          call(
              "inspect " + spec.name(),
              () -> docker.inspectContainerCmd(spec.name()).exec().getId());
      LOG.info(() -> "Adopting existing container " + spec.name());
      return id;
    } catch (NotFoundException noImage) {
      throw new ImageUnavailableException(spec.image(), engineMessage(noImage));
    } catch (RuntimeException e) {
      throw failure("create " + spec.name(), e);
    }
  }

  /**
   * The container's confinement: resource limits, the sandbox, and the job's own directories as its
   * only host paths. Never privileged; the engine's default seccomp profile stays.
   */
  private static HostConfig hostConfig(ContainerSpec spec) {
    Sandbox sandbox = spec.sandbox();
    HostConfig host =
        HostConfig.newHostConfig()
            .withPrivileged(false)
            .withMemory(spec.limits().memoryBytes())
            .withMemorySwap(spec.limits().memoryBytes())
            .withNanoCPUs(spec.limits().nanoCpus())
            .withPidsLimit(spec.limits().pids())
            .withNetworkMode(spec.network())
            .withReadonlyRootfs(sandbox.readOnlyRootFilesystem())
            .withTmpFs(Map.of("/tmp", "rw,nosuid,nodev,mode=1777,size=" + sandbox.tmpSizeBytes()))
            .withUlimits(
                List.of(
                    new Ulimit("nofile", sandbox.nofile(), sandbox.nofile()),
                    new Ulimit("nproc", sandbox.nproc(), sandbox.nproc())))
            .withBinds(
                spec.mounts().stream()
                    .map(
                        m ->
                            new Bind(
                                m.source().toString(),
                                new Volume(m.target()),
                                m.readOnly() ? AccessMode.ro : AccessMode.rw))
                    .toList());
    if (sandbox.dropAllCapabilities()) {
      host.withCapDrop(Capability.ALL);
    }
    if (sandbox.noNewPrivileges()) {
      host.withSecurityOpts(List.of("no-new-privileges:true"));
    }
    if (sandbox.runtime() != null) {
      host.withRuntime(sandbox.runtime());
    }
    return host;
  }

  public void start(String container) {
    try {
      clients.control().startContainerCmd(container).exec();
    } catch (NotModifiedException alreadyRunning) {
      // Started by an earlier try of this call.
    } catch (RuntimeException e) {
      throw failure("start " + container, e);
    }
  }

  /**
   * Not guarded by a timeout, retries or a breaker: the stream lasts as long as the container, and
   * a broken stream is not a failed job ({@link #awaitExit} tells how it ended).
   */
  public void followLogs(String container, LogSink sink) {
    streamLogs(container, sink, true);
  }

  /** The container's output as it stands, without following it. */
  public void readLogs(String container, LogSink sink) {
    streamLogs(container, sink, false);
  }

  private void streamLogs(String container, LogSink sink, boolean follow) {
    try {
      drain(
          clients
              .streaming()
              .logContainerCmd(container)
              .withStdOut(true)
              .withStdErr(true)
              .withFollowStream(follow)
              .withTimestamps(true),
          sink,
          container);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerRuntimeException("Interrupted while reading " + container, true, e);
    } catch (RuntimeException e) {
      throw failure("read the output of " + container, e);
    }
  }

  /**
   * Not guarded by a timeout, retries or a breaker: the command runs as long as it runs, and
   * running it again is not safe. The exec's output is demultiplexed as a container's is.
   */
  public int exec(String container, ExecSpec exec, LogSink sink) {
    DockerClient docker = clients.control();
    String execId;
    try {
      var create =
          docker
              .execCreateCmd(container)
              .withCmd(exec.command().toArray(String[]::new))
              .withEnv(
                  exec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
              .withAttachStdout(true)
              .withAttachStderr(true);
      if (exec.user() != null) {
        create.withUser(exec.user());
      }
      if (exec.workingDir() != null) {
        create.withWorkingDir(exec.workingDir());
      }
      execId = create.exec().getId();
    } catch (NotFoundException | ConflictException gone) {
      throw new ContainerRefusedException("Container " + container + " is gone or stopped", gone);
    } catch (RuntimeException e) {
      throw failure("run a command in " + container, e);
    }
    try {
      drain(clients.streaming().execStartCmd(execId), sink, container);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerRuntimeException("Interrupted while running in " + container, true, e);
    } catch (NotFoundException | ConflictException gone) {
      throw new ContainerRefusedException("Container " + container + " is gone or stopped", gone);
    } catch (RuntimeException e) {
      throw failure("run a command in " + container, e);
    }
    return execExitCode(docker, container, execId);
  }

  public void copyIn(String container, String directory, java.io.InputStream tar) {
    try {
      clients
          .control()
          .copyArchiveToContainerCmd(container)
          .withRemotePath(directory)
          .withTarInputStream(tar)
          .withNoOverwriteDirNonDir(true)
          .exec();
    } catch (NotFoundException | ConflictException refused) {
      throw new ContainerRefusedException(
          "Files could not be copied into " + container + ": " + refused.getMessage(), refused);
    } catch (com.github.dockerjava.api.exception.BadRequestException refused) {
      throw new ContainerRefusedException(
          "Files could not be copied into " + container + ": " + refused.getMessage(), refused);
    } catch (RuntimeException e) {
      throw failure("copy files into " + container, e);
    }
  }

  /**
   * The exit code of an exec whose output has ended. The engine records the end a moment after it
   * closes the stream, so a few short reads may be needed.
   */
  private int execExitCode(DockerClient docker, String container, String execId) {
    try {
      for (int read = 1; ; read++) {
        var inspected = docker.inspectExecCmd(execId).exec();
        if (!Boolean.TRUE.equals(inspected.isRunning()) && inspected.getExitCodeLong() != null) {
          return inspected.getExitCodeLong().intValue();
        }
        if (read == 100) {
          throw new ContainerRefusedException(
              "The command in " + container + " lost its output stream before it ended", null);
        }
        Thread.sleep(Math.min(read, 20));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerRuntimeException("Interrupted while running in " + container, true, e);
    } catch (NotFoundException gone) {
      throw new ContainerRefusedException("Container " + container + " is gone", gone);
    } catch (RuntimeException e) {
      throw failure("read how a command in " + container + " ended", e);
    }
  }

  /**
   * Hands the output stream that {@code command} opens to the sink, line by line, until it ends.
   * The stream is closed however the wait ends, so that an interrupted reader leaves none open.
   */
  private void drain(AsyncDockerCmd<?, Frame> command, LogSink sink, String container)
      throws InterruptedException {
    LogFrameDecoder decoder = new LogFrameDecoder(sink, maxLineBytes);
    try (ResultCallback.Adapter<Frame> stream =
        command.exec(
            new ResultCallback.Adapter<Frame>() {
              @Override
              public void onNext(Frame frame) {
                decoder.accept(frame);
              }
            })) {
      stream.awaitCompletion();
      decoder.flush();
    } catch (java.io.IOException closing) {
      LOG.fine(() -> "Closing an output stream of " + container + " failed: " + closing);
    }
  }

  public ContainerExit awaitExit(String container) {
    try {
      clients
          .streaming()
          .waitContainerCmd(container)
          .exec(new WaitContainerResultCallback())
          .awaitStatusCode();
      return exitOf(clients.control().inspectContainerCmd(container).exec().getState());
    } catch (NotFoundException gone) {
      throw new ContainerRefusedException("Container " + container + " is gone", gone);
    } catch (RuntimeException e) {
      throw failure("wait for " + container, e);
    }
  }

  public Optional<ContainerStatus> status(String container) {
    try {
      InspectContainerResponse inspected = clients.control().inspectContainerCmd(container).exec();
      InspectContainerResponse.ContainerState state = inspected.getState();
      boolean running =
          Boolean.TRUE.equals(state.getRunning())
              || Boolean.TRUE.equals(state.getPaused())
              || Boolean.TRUE.equals(state.getRestarting());
      boolean ended = !running && !"created".equals(state.getStatus());
      return Optional.of(
          new ContainerStatus(inspected.getId(), running, ended ? exitOf(state) : null));
    } catch (NotFoundException absent) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw failure("inspect " + container, e);
    }
  }

  private static ContainerExit exitOf(InspectContainerResponse.ContainerState state) {
    Long exitCode = state.getExitCodeLong();
    return new ContainerExit(
        exitCode == null ? -1 : exitCode.intValue(),
        Boolean.TRUE.equals(state.getOOMKilled()),
        state.getError() == null || state.getError().isBlank() ? null : state.getError(),
        instant(state.getFinishedAt()),
        instant(state.getStartedAt()));
  }

  private static Instant instant(String engineTime) {
    if (engineTime == null || engineTime.startsWith("0001-")) {
      return null;
    }
    try {
      return Instant.parse(engineTime);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  public void signal(String container, String signal) {
    try {
      clients.control().killContainerCmd(container).withSignal(signal).exec();
    } catch (NotFoundException | ConflictException notRunning) {
      throw new ContainerRefusedException("Container " + container + " is not running", notRunning);
    } catch (RuntimeException e) {
      throw failure("signal " + container, e);
    }
  }

  public void stop(String container, Duration grace) {
    try {
      clients.control().stopContainerCmd(container).withTimeout((int) grace.toSeconds()).exec();
    } catch (NotModifiedException | NotFoundException alreadyGone) {
      // Stopped already, or never created.
    } catch (RuntimeException e) {
      throw failure("stop " + container, e);
    }
  }

  public void remove(String container) {
    try {
      clients
          .control()
          .removeContainerCmd(container)
          .withForce(true)
          .withRemoveVolumes(true)
          .exec();
    } catch (NotFoundException alreadyGone) {
      // Removed already, or never created.
    } catch (ConflictException removalInProgress) {
      // Docker is removing it already.
    } catch (RuntimeException e) {
      throw failure("remove " + container, e);
    }
  }

  public List<ManagedContainer> listManaged(String installation) {
    List<Container> containers =
        call(
            "list containers",
            () ->
                clients
                    .control()
                    .listContainersCmd()
                    .withShowAll(true)
                    .withLabelFilter(Map.of(ContainerLabels.INSTALLATION, installation))
                    .exec());
    return containers.stream()
        .filter(
            c ->
                c.getLabels() != null
                    && (c.getLabels().containsKey(ContainerLabels.JOB)
                        || c.getLabels().containsKey(ContainerLabels.POOL)))
        .map(
            c ->
                new ManagedContainer(
                    c.getId(),
                    c.getNames() == null || c.getNames().length == 0
                        ? c.getId()
                        : c.getNames()[0].replaceFirst("^/", ""),
                    c.getState(),
                    c.getLabels() == null ? Map.of() : Map.copyOf(c.getLabels())))
        .toList();
  }

  /**
   * The registry's answer can be anything its host chose to send: it goes to the server log, and
   * the job's reason says only what kind of failure it was.
   */
  private static ImageUnavailableException pullFailed(
      String image, RuntimeException e, int status) {
    LOG.info(
        () -> "Pulling " + image + " failed: " + LogText.escape(String.valueOf(e.getMessage())));
    String why =
        switch (status) {
          case 401, 403, 404 -> "the registry has no such image or refused access to it";
          case 0 -> "the pull failed; the server log has the engine's message";
          default -> "the pull failed (engine status " + status + "); the server log has details";
        };
    return new ImageUnavailableException(image, why);
  }

  private <T> T call(String what, Supplier<T> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      throw failure(what, e);
    }
  }

  private ContainerRuntimeException failure(String what, RuntimeException e) {
    if (e instanceof ContainerRuntimeException known) {
      return known;
    }
    if (e instanceof DockerException docker && docker.getHttpStatus() < 500) {
      return new ContainerRefusedException(
          "Docker engine refused to " + what + ": " + engineMessage(docker), e);
    }
    if (e instanceof DockerException docker) {
      String message = "Docker engine failed to " + what + ": " + engineMessage(docker);
      // An engine that still answers a ping failed on this call's own account: waiting would
      // repeat the failure for ever, so the job fails. Otherwise the engine is unwell: wait.
      return isAvailable()
          ? new ContainerRefusedException(message, e)
          : new ContainerRuntimeException(message, true, e);
    }
    if (!isConnectionFailure(e)) {
      // Refused before it reached the engine (an argument the client rejects): this call's fault,
      // not the engine's, so it must neither trip a circuit breaker nor make a job wait.
      return new ContainerRefusedException(
          "Docker engine call to " + what + " was refused: " + e.getMessage(), e);
    }
    if (!clients.acceptsConnections()) {
      // Not a connection of the pool gone stale: the engine itself is away.
      outages.unreachable(Instant.now());
    }
    return new ContainerRuntimeException(
        "Docker engine at " + clients.host() + " could not " + what + ": " + e.getMessage(),
        true,
        e);
  }

  /** The engine did not answer: no connection, or one that broke or timed out. */
  private static boolean isConnectionFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  /** The engine's message without docker-java's "Status 404: {...}" wrapping. */
  static String engineMessage(DockerException e) {
    String message = String.valueOf(e.getMessage());
    int start = message.indexOf("\"message\":\"");
    if (start >= 0) {
      int from = start + "\"message\":\"".length();
      int end = message.indexOf('"', from);
      if (end > from) {
        return message.substring(from, end);
      }
    }
    return message.replaceFirst("^Status \\d+: ", "").trim();
  }
}

package dev.stevedore.runtime;

import java.time.Duration;
import java.util.List;

/**
 * The container engine as the orchestrator needs it. Containers are addressed by their name, which
 * the orchestrator chooses deterministically, so every call can be repeated safely.
 *
 * <p>Failures of the engine surface as {@link ContainerRuntimeException}: a refusal of the one call
 * as {@link ContainerRefusedException}, an engine that cannot be used now (its calls paused after
 * repeated failures, too many at once, no answer in time) as {@link EngineUnavailableException}. An
 * image that cannot be had surfaces as {@link ImageUnavailableException}. An adapter's own fault
 * tolerance stays behind the port: its exceptions are turned into these.
 */
public interface ContainerRuntime {

  /** The engine's version and where it is, for logs and node status. */
  EngineInfo info();

  /** Answers quickly whether the engine can be used now. */
  boolean isAvailable();

  /** Makes sure the image is present, pulling it if not. */
  void ensureImage(String image);

  /**
   * Creates the container. If a container of that name exists already (a repeated call, or one made
   * before a restart), it is adopted rather than a second one made.
   *
   * @return the container's id
   */
  String create(ContainerSpec spec);

  /** Starts the container; starting a running container is not an error. */
  void start(String container);

  /**
   * Follows the container's output from its start, calling {@code sink} for every line, and returns
   * when the container has stopped and its output has been read to the end.
   */
  void followLogs(String container, LogSink sink);

  /**
   * Reads the container's whole output as it stands, without following it. After the container has
   * stopped this is its complete output: a follower may miss a last line the engine wrote while the
   * container exited.
   */
  void readLogs(String container, LogSink sink);

  /** Waits for the container to stop and tells how it ended. */
  ContainerExit awaitExit(String container);

  /** The container's state now, or empty if there is no such container. */
  java.util.Optional<ContainerStatus> status(String container);

  /**
   * Sends a signal ({@code USR1}, say) to the container's main process. A container that is missing
   * or not running is refused.
   */
  void signal(String container, String signal);

  /** Sends SIGTERM, then SIGKILL after {@code grace}; a stopped or missing one is fine. */
  void stop(String container, Duration grace);

  /** Removes the container with its anonymous volumes; a missing one is fine. */
  void remove(String container);

  /**
   * Runs a command in the running container and returns its exit code once it has ended, its output
   * handed to {@code sink} as it comes. If the container ends or is removed meanwhile, the call
   * ends with a {@link ContainerRefusedException}.
   */
  int exec(String container, ExecSpec exec, LogSink sink);

  /**
   * Unpacks a tar archive into a directory of the running container, which must exist. The engine
   * resolves every path inside the container's own file system, and writes only where the container
   * may (its writable mounts); entries keep the owner their headers name.
   */
  void copyIn(String container, String directory, java.io.InputStream tar);

  /** Every container labelled as of this installation (a job's or a pool's), running or not. */
  List<ManagedContainer> listManaged(String installation);

  /**
   * Whether the engine's stop or restart ended this container rather than the container itself: the
   * engine is stopping now (it takes no new connections while it stops its containers), or it ended
   * while the engine could not be reached.
   */
  boolean interruptedByEngine(ContainerExit exit);
}

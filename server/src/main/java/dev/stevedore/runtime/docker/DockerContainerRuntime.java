package dev.stevedore.runtime.docker;

import dev.stevedore.runtime.ContainerExit;
import dev.stevedore.runtime.ContainerRefusedException;
import dev.stevedore.runtime.ContainerSpec;
import dev.stevedore.runtime.ContainerStatus;
import dev.stevedore.runtime.ImageUnavailableException;
import dev.stevedore.runtime.LogSink;
import dev.stevedore.runtime.ManagedContainer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * The Fault Tolerance of the calls to the Docker engine that count against its circuit breakers,
 * declared in one place. Every call here has a breaker of its own (so that a dead daemon is not
 * hammered) and is retried, since every call can be repeated safely: containers are addressed by
 * name, a repeated create adopts, a repeated start or stop is no error. A method says only where it
 * differs: its time bound, a bulkhead for the calls that change containers or pull, and the calls
 * that are not retried.
 *
 * <p>Refusals of the engine and images that cannot be had say nothing about the engine's health:
 * they neither count against a breaker nor are retried.
 *
 * <p>Each bound can be tuned with MicroProfile Config: a class-level policy for all methods at once
 * ({@code dev.stevedore.runtime.docker.DockerContainerRuntime/CircuitBreaker/delay=10000}), a
 * method's own ({@code dev.stevedore.runtime.docker.DockerContainerRuntime/create/Timeout/value
 * =30000}). Fault Tolerance's exceptions do not leave the adapter: {@link DockerEngine} turns them
 * into the port's.
 */
@ApplicationScoped
@CircuitBreaker(
    requestVolumeThreshold = 10,
    delay = 10_000,
    skipOn = {ImageUnavailableException.class, ContainerRefusedException.class})
@Retry(
    maxRetries = 2,
    delay = 500,
    abortOn = {ImageUnavailableException.class, ContainerRefusedException.class})
class DockerContainerRuntime {

  @Inject DockerCalls calls;

  /** A pull may take long; a failed one is not repeated at once (the job waits or fails). */
  @Timeout(900_000)
  @Retry(maxRetries = 0)
  @Bulkhead(32)
  void ensureImage(String image) {
    calls.ensureImage(image);
  }

  @Timeout(30_000)
  @Bulkhead(32)
  String create(ContainerSpec spec) {
    return calls.create(spec);
  }

  @Timeout(30_000)
  @Bulkhead(32)
  void start(String container) {
    calls.start(container);
  }

  /**
   * Not bounded in time: the output of a long job is long. Not retried: a retry would hand the sink
   * again the lines it took before the failure. A failed read leaves the job to the reconciler,
   * which reads the output anew.
   */
  @Retry(maxRetries = 0)
  void readLogs(String container, LogSink sink) {
    calls.readLogs(container, sink);
  }

  /** Not bounded in time: it waits for the container to end. */
  @Retry(maxRetries = 3, delay = 1000, abortOn = ContainerRefusedException.class)
  ContainerExit awaitExit(String container) {
    return calls.awaitExit(container);
  }

  @Timeout(30_000)
  Optional<ContainerStatus> status(String container) {
    return calls.status(container);
  }

  @Timeout(30_000)
  @Bulkhead(32)
  void signal(String container, String signal) {
    calls.signal(container, signal);
  }

  /** Not retried: the archive is a stream read once. */
  @Timeout(300_000)
  @Bulkhead(8)
  void copyIn(String container, String directory, java.io.InputStream tar) {
    calls.copyIn(container, directory, tar);
  }

  /** The grace period is part of the call. */
  @Timeout(180_000)
  @Bulkhead(32)
  void stop(String container, Duration grace) {
    calls.stop(container, grace);
  }

  @Timeout(60_000)
  @Bulkhead(32)
  void remove(String container) {
    calls.remove(container);
  }

  @Timeout(30_000)
  List<ManagedContainer> listManaged(String installation) {
    return calls.listManaged(installation);
  }
}

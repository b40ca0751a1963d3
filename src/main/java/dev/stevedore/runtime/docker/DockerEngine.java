package dev.stevedore.runtime.docker;

import dev.stevedore.runtime.ContainerExit;
import dev.stevedore.runtime.ContainerRuntime;
import dev.stevedore.runtime.ContainerSpec;
import dev.stevedore.runtime.ContainerStatus;
import dev.stevedore.runtime.EngineInfo;
import dev.stevedore.runtime.LogSink;
import dev.stevedore.runtime.ManagedContainer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@link ContainerRuntime} on the Docker Engine API: the calls that count against a circuit breaker
 * go through {@link DockerContainerRuntime}, which declares their Fault Tolerance; the probes and
 * the unguarded calls go to {@link DockerCalls} directly.
 */
@ApplicationScoped
public class DockerEngine implements ContainerRuntime {

  @Inject DockerContainerRuntime guarded;
  @Inject DockerCalls calls;

  @Override
  public EngineInfo info() {
    return calls.info();
  }

  @Override
  public boolean isAvailable() {
    return calls.isAvailable();
  }

  @Override
  public boolean interruptedByEngine(ContainerExit exit) {
    return calls.interruptedByEngine(exit);
  }

  @Override
  public void ensureImage(String image) {
    guarded.ensureImage(image);
  }

  @Override
  public String create(ContainerSpec spec) {
    return guarded.create(spec);
  }

  @Override
  public void start(String container) {
    guarded.start(container);
  }

  @Override
  public void followLogs(String container, LogSink sink) {
    calls.followLogs(container, sink);
  }

  @Override
  public void readLogs(String container, LogSink sink) {
    guarded.readLogs(container, sink);
  }

  @Override
  public ContainerExit awaitExit(String container) {
    return guarded.awaitExit(container);
  }

  @Override
  public Optional<ContainerStatus> status(String container) {
    return guarded.status(container);
  }

  @Override
  public void stop(String container, Duration grace) {
    guarded.stop(container, grace);
  }

  @Override
  public void remove(String container) {
    guarded.remove(container);
  }

  @Override
  public List<ManagedContainer> listManaged(String installation) {
    return guarded.listManaged(installation);
  }
}

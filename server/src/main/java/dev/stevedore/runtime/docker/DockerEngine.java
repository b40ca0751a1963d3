package dev.stevedore.runtime.docker;

import dev.stevedore.runtime.ContainerExit;
import dev.stevedore.runtime.ContainerRuntime;
import dev.stevedore.runtime.ContainerSpec;
import dev.stevedore.runtime.ContainerStatus;
import dev.stevedore.runtime.EngineInfo;
import dev.stevedore.runtime.EngineUnavailableException;
import dev.stevedore.runtime.ExecSpec;
import dev.stevedore.runtime.LogSink;
import dev.stevedore.runtime.ManagedContainer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * {@link ContainerRuntime} on the Docker Engine API: the calls that count against a circuit breaker
 * go through {@link DockerContainerRuntime}, which declares their Fault Tolerance; the probes and
 * the unguarded calls go to {@link DockerCalls} directly.
 *
 * <p>Fault Tolerance's interceptors wrap those beans from the outside, so this is where their
 * exceptions are caught: each leaves the port as an {@link EngineUnavailableException} that says in
 * words what happened. Nothing above the port knows that Fault Tolerance is at work.
 */
@ApplicationScoped
public class DockerEngine implements ContainerRuntime {

  @Inject DockerContainerRuntime guarded;
  @Inject DockerCalls calls;

  @Override
  public EngineInfo info() {
    return translated(() -> calls.info());
  }

  @Override
  public boolean isAvailable() {
    return translated(() -> calls.isAvailable());
  }

  @Override
  public boolean interruptedByEngine(ContainerExit exit) {
    return translated(() -> calls.interruptedByEngine(exit));
  }

  @Override
  public void ensureImage(String image) {
    translated(() -> guarded.ensureImage(image));
  }

  @Override
  public String create(ContainerSpec spec) {
    return translated(() -> guarded.create(spec));
  }

  @Override
  public void start(String container) {
    translated(() -> guarded.start(container));
  }

  @Override
  public void followLogs(String container, LogSink sink) {
    calls.followLogs(container, sink); // not guarded: nothing to translate
  }

  @Override
  public void readLogs(String container, LogSink sink) {
    translated(() -> guarded.readLogs(container, sink));
  }

  @Override
  public void copyIn(String container, String directory, java.io.InputStream tar) {
    translated(() -> guarded.copyIn(container, directory, tar));
  }

  @Override
  public int exec(String container, ExecSpec exec, LogSink sink) {
    return calls.exec(container, exec, sink); // not guarded: it lasts as long as the command
  }

  @Override
  public ContainerExit awaitExit(String container) {
    return translated(() -> guarded.awaitExit(container));
  }

  @Override
  public Optional<ContainerStatus> status(String container) {
    return translated(() -> guarded.status(container));
  }

  @Override
  public void signal(String container, String signal) {
    translated(() -> guarded.signal(container, signal));
  }

  @Override
  public void stop(String container, Duration grace) {
    translated(() -> guarded.stop(container, grace));
  }

  @Override
  public void remove(String container) {
    translated(() -> guarded.remove(container));
  }

  @Override
  public List<ManagedContainer> listManaged(String installation) {
    return translated(() -> guarded.listManaged(installation));
  }

  private static <T> T translated(Supplier<T> call) {
    try {
      return call.get();
    } catch (FaultToleranceException e) {
      throw unavailable(e);
    }
  }

  private static void translated(Runnable call) {
    translated(
        () -> {
          call.run();
          return null;
        });
  }

  /** Fault Tolerance's own exceptions carry no useful message: say what they mean. */
  static EngineUnavailableException unavailable(FaultToleranceException e) {
    String why;
    if (e instanceof CircuitBreakerOpenException) {
      why = "calls to it are paused after repeated failures";
    } else if (e instanceof BulkheadException) {
      why = "too many calls to it at once";
    } else if (e instanceof TimeoutException) {
      why = "it did not answer in time";
    } else {
      why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    return new EngineUnavailableException(why, e);
  }
}

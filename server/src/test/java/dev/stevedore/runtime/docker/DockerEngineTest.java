package dev.stevedore.runtime.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.runtime.ContainerExit;
import dev.stevedore.runtime.ContainerRefusedException;
import dev.stevedore.runtime.ContainerRuntimeException;
import dev.stevedore.runtime.ContainerSpec;
import dev.stevedore.runtime.ContainerStatus;
import dev.stevedore.runtime.EngineInfo;
import dev.stevedore.runtime.EngineUnavailableException;
import dev.stevedore.runtime.LogSink;
import dev.stevedore.runtime.ManagedContainer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceDefinitionException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Fault Tolerance's exceptions do not cross the port; the port's own pass unchanged. */
class DockerEngineTest {

  private static final ContainerExit EXIT = new ContainerExit(1, false, null, Instant.now(), null);
  private static final LogSink SINK = (stream, at, text) -> {};

  /** Every port method, as a call on the engine. */
  private static final Map<String, Consumer<DockerEngine>> CALLS =
      Map.ofEntries(
          Map.entry("info", DockerEngine::info),
          Map.entry("isAvailable", DockerEngine::isAvailable),
          Map.entry("interruptedByEngine", e -> e.interruptedByEngine(EXIT)),
          Map.entry("ensureImage", e -> e.ensureImage("image")),
          Map.entry("create", e -> e.create(null)),
          Map.entry("start", e -> e.start("c")),
          Map.entry("readLogs", e -> e.readLogs("c", SINK)),
          Map.entry("awaitExit", e -> e.awaitExit("c")),
          Map.entry("status", e -> e.status("c")),
          Map.entry("stop", e -> e.stop("c", Duration.ofSeconds(1))),
          Map.entry("remove", e -> e.remove("c")),
          Map.entry("listManaged", e -> e.listManaged("installation")));

  static Stream<Arguments> faultToleranceExceptions() {
    return Stream.of(
        Arguments.of(
            new CircuitBreakerOpenException(), "calls to it are paused after repeated failures"),
        Arguments.of(new BulkheadException(), "too many calls to it at once"),
        Arguments.of(new TimeoutException(), "it did not answer in time"),
        Arguments.of(new FaultToleranceDefinitionException("bad policy"), "bad policy"));
  }

  @ParameterizedTest
  @MethodSource("faultToleranceExceptions")
  void everyGuardedCallTurnsFaultToleranceIntoTheEngineBeingUnavailable(
      RuntimeException thrown, String why) {
    DockerEngine engine = engineThrowing(thrown);
    CALLS.forEach(
        (name, call) -> {
          EngineUnavailableException unavailable =
              assertThrows(EngineUnavailableException.class, () -> call.accept(engine), name);
          assertEquals(why, unavailable.getMessage(), name);
          assertTrue(unavailable.engineUnreachable(), name + ": the job waits for the engine");
          assertSame(thrown, unavailable.getCause(), name);
        });
  }

  @Test
  void thePortsOwnExceptionsPassUnchanged() {
    ContainerRuntimeException refused = new ContainerRefusedException("no such command", null);
    DockerEngine engine = engineThrowing(refused);
    CALLS.forEach(
        (name, call) ->
            assertSame(
                refused,
                assertThrows(ContainerRuntimeException.class, () -> call.accept(engine)),
                name));
  }

  @Test
  void followingTheOutputIsNotGuarded() {
    DockerEngine engine = engineThrowing(new TimeoutException());
    engine.followLogs("c", SINK); // the stream lasts as long as the container
  }

  /** An engine whose every guarded call and probe throws {@code e}. */
  private static DockerEngine engineThrowing(RuntimeException e) {
    DockerEngine engine = new DockerEngine();
    engine.calls =
        new DockerCalls() {
          @Override
          public EngineInfo info() {
            throw e;
          }

          @Override
          public boolean isAvailable() {
            throw e;
          }

          @Override
          public boolean interruptedByEngine(ContainerExit exit) {
            throw e;
          }

          @Override
          public void followLogs(String container, LogSink sink) {}
        };
    engine.guarded =
        new DockerContainerRuntime() {
          @Override
          void ensureImage(String image) {
            throw e;
          }

          @Override
          String create(ContainerSpec spec) {
            throw e;
          }

          @Override
          void start(String container) {
            throw e;
          }

          @Override
          void readLogs(String container, LogSink sink) {
            throw e;
          }

          @Override
          ContainerExit awaitExit(String container) {
            throw e;
          }

          @Override
          Optional<ContainerStatus> status(String container) {
            throw e;
          }

          @Override
          void stop(String container, Duration grace) {
            throw e;
          }

          @Override
          void remove(String container) {
            throw e;
          }

          @Override
          List<ManagedContainer> listManaged(String installation) {
            throw e;
          }
        };
    return engine;
  }
}

package dev.stevedore.runtime.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.stevedore.runtime.ContainerLabels;
import dev.stevedore.runtime.ContainerRuntime;
import dev.stevedore.runtime.ContainerRuntimeContract;
import dev.stevedore.runtime.ContainerSpec;
import dev.stevedore.runtime.EngineOutages;
import dev.stevedore.runtime.ImagePolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;

/**
 * The contract against the Docker adapter ({@link DockerEngine} over {@link DockerContainerRuntime}
 * and {@link DockerCalls}) on the local engine, built by hand: there is no CDI container here, so
 * none of its Fault Tolerance guards (timeouts, retries, circuit breakers, bulkheads) apply, and
 * each call meets the engine once. Every container it makes is labelled with this run's
 * installation and force-removed after each test.
 */
class DockerContainerRuntimeIT extends ContainerRuntimeContract {

  private DockerClients clients;

  @Override
  protected ContainerRuntime newRuntime() {
    clients = new DockerClients();
    clients.configuredHost = Optional.empty(); // DOCKER_HOST, else the local socket
    clients.connectTimeoutSeconds = 5;
    clients.responseTimeoutSeconds = 30;
    clients.maxStreams = 8;
    DockerCalls calls = new DockerCalls();
    calls.clients = clients;
    calls.outages = new EngineOutages();
    calls.images = new ImagePolicy(List.of());
    calls.pullTimeoutSeconds = 60;
    calls.maxLineBytes = 65536;
    DockerContainerRuntime guarded = new DockerContainerRuntime();
    guarded.calls = calls;
    DockerEngine engine = new DockerEngine();
    engine.guarded = guarded;
    engine.calls = calls;
    return engine;
  }

  @AfterEach
  void removeEveryContainerOfThisRun() {
    for (String installation : installations()) {
      List<Container> left =
          clients
              .control()
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(Map.of(ContainerLabels.INSTALLATION, installation))
              .exec();
      for (Container container : left) {
        try {
          clients.control().removeContainerCmd(container.getId()).withForce(true).exec();
        } catch (NotFoundException gone) {
          // removed by the test itself meanwhile
        }
      }
    }
    clients.close();
  }

  @Override
  protected ContainerSpec printing(
      String name, Map<String, String> labels, int lines, int exitCode) {
    String script =
        "i=1; while [ $i -le " + lines + " ]; do echo line-$i; i=$((i+1)); done; exit " + exitCode;
    return spec(name, IMAGE, List.of("sh", "-c", script), labels);
  }

  @Override
  protected ContainerSpec printingToStderr(String name, Map<String, String> labels, String text) {
    return spec(name, IMAGE, List.of("sh", "-c", "printf '%s\\n' \"$1\" >&2", "sh", text), labels);
  }

  /** The shell runs as process 1, which ignores SIGTERM: only the stop's SIGKILL ends it. */
  @Override
  protected ContainerSpec runningUntilStopped(String name, Map<String, String> labels) {
    return spec(name, IMAGE, List.of("sh", "-c", "while :; do sleep 1; done"), labels);
  }

  @Override
  protected dev.stevedore.runtime.ExecSpec printingExec(String text, int exitCode) {
    return new dev.stevedore.runtime.ExecSpec(
        List.of("sh", "-c", "echo " + text + "; exit " + exitCode), Map.of(), "65534:65534", null);
  }
}

package it;

import static it.support.Api.awaitState;
import static it.support.Api.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import it.support.Api;
import it.support.Engine;
import it.support.Ready;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two installations on one engine: every container carries its installation's id, and a server
 * touches only its own installation's containers, even those of a node with its own name.
 */
class InstallationIT {

  @BeforeAll
  static void ready() {
    Ready.application();
  }

  private static final String INSTALLATION = "stevedore.installation";

  /** The installation label of a running job's container. */
  private static String ownInstallation() {
    String id = Api.submit(Api.shellJob("sleep 2")).getString("id");
    awaitState(id, Duration.ofSeconds(30), "RUNNING");
    List<Container> containers = Engine.containersOf(id);
    assertEquals(1, containers.size());
    Map<String, String> labels = containers.get(0).getLabels();
    Api.awaitEnd(id);
    return labels.get(INSTALLATION);
  }

  private static String nodeName() {
    return json(Api.get("/api/v1/node")).getString("node");
  }

  /** A container labelled as a job's of this node name, running sleep. */
  private static String container(String installation) {
    String jobId = UUID.randomUUID().toString();
    String id =
        Engine.docker()
            .createContainerCmd(Api.AGENT_IMAGE)
            .withName("stevedore-" + jobId + "-1")
            .withLabels(
                Map.of(
                    "stevedore.job",
                    jobId,
                    "stevedore.attempt",
                    "1",
                    "stevedore.node",
                    nodeName(),
                    INSTALLATION,
                    installation))
            .withCmd("sleep", "300")
            .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
            .exec()
            .getId();
    Engine.docker().startContainerCmd(id).exec();
    return id;
  }

  private static boolean exists(String container) {
    try {
      Engine.docker().inspectContainerCmd(container).exec();
      return true;
    } catch (NotFoundException gone) {
      return false;
    }
  }

  @Test
  void containersCarryTheInstallationId() {
    String installation = ownInstallation();
    assertTrue(installation != null && !installation.isBlank(), "labelled");
    assertEquals(installation, ownInstallation(), "the same for every job");
  }

  @Test
  void theReconcilerLeavesAnotherInstallationsContainersAlone() {
    String own = ownInstallation();
    String other = UUID.randomUUID().toString();
    assertNotEquals(own, other);
    String foreign = container(other);
    String orphan = container(own);
    try {
      // A pass of the reconciler has run once it removed this installation's orphan.
      await().atMost(Duration.ofSeconds(60)).until(() -> !exists(orphan));
      assertTrue(exists(foreign), "another installation's container is left");
      assertTrue(
          Engine.docker().inspectContainerCmd(foreign).exec().getState().getRunning(),
          "and still runs");
    } finally {
      Engine.docker().removeContainerCmd(foreign).withForce(true).exec();
      if (exists(orphan)) {
        Engine.docker().removeContainerCmd(orphan).withForce(true).exec();
      }
    }
    assertFalse(exists(foreign));
  }
}

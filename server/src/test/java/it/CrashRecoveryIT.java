package it;

import static it.support.Api.awaitEnd;
import static it.support.Api.awaitState;
import static it.support.Api.logs;
import static it.support.Api.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.Container;
import it.support.Api;
import it.support.Engine;
import it.support.Server;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The server killed with {@code kill -9} while jobs run loses none of them and starts no
 * duplicates: at the next start it adopts running containers, finalizes ended ones and removes
 * containers that no job owns.
 */
class CrashRecoveryIT {

  private static final int LINES = 60;

  @Test
  void killedServerAdoptsFinalizesAndCleansUpAfterRestart() throws IOException {
    // A job that runs through the crash and the restart.
    String longRunning =
        submit(
                Api.shellJob(
                    "for i in $(seq 1 " + LINES + "); do echo line $i; sleep 0.5; done; exit 4"))
            .getString("id");
    // A job that ends while the server is down.
    String endsWhileDown =
        submit(Api.shellJob("sleep 6; echo made > /workspace/out/made.txt; echo bye; exit 5"))
            .getString("id");
    awaitState(longRunning, Duration.ofSeconds(30), "RUNNING");
    awaitState(endsWhileDown, Duration.ofSeconds(30), "RUNNING");
    await().atMost(Duration.ofSeconds(20)).until(() -> logs(longRunning).contains("line 3\n"));
    String containerBefore = onlyContainer(longRunning).getId();
    Map<String, String> serverLabels = onlyContainer(longRunning).getLabels();

    Server.kill();
    String orphan;
    try {
      orphan = startOrphanContainer(serverLabels);
      Engine.docker()
          .waitContainerCmd("stevedore-" + endsWhileDown + "-1")
          .exec(new com.github.dockerjava.api.command.WaitContainerResultCallback())
          .awaitStatusCode();
    } finally {
      Server.start(); // also when the above fails: the tests after this one need the server
    }

    // Adopted: the same container, not a second one.
    JsonObject whileRunning = Api.job(longRunning);
    if (whileRunning.getString("state").equals("RUNNING")) {
      assertEquals(containerBefore, onlyContainer(longRunning).getId());
    }
    JsonObject adopted =
        awaitState(
            longRunning, Duration.ofSeconds(90), "FAILED", "SUCCEEDED", "CANCELLED", "TIMED_OUT");
    assertEquals("FAILED", adopted.getString("state"), adopted.toString());
    assertEquals(4, adopted.getInt("exitCode"));
    String expected =
        IntStream.rangeClosed(1, LINES)
            .mapToObj(i -> "line " + i + "\n")
            .collect(Collectors.joining());
    assertEquals(expected, logs(longRunning), "every line once, in order");
    assertEquals(1, Api.job(longRunning).getInt("attempt"));

    JsonObject finalized = awaitEnd(endsWhileDown);
    assertEquals("FAILED", finalized.getString("state"), finalized.toString());
    assertEquals(5, finalized.getInt("exitCode"));
    assertEquals("bye\n", logs(endsWhileDown));
    assertEquals(200, Api.get("/api/v1/jobs/" + endsWhileDown + "/files/made.txt").statusCode());

    await().atMost(Duration.ofSeconds(30)).until(() -> Engine.containersOf(orphan).isEmpty());
    await().atMost(Duration.ofSeconds(30)).until(() -> Engine.containersOf(longRunning).isEmpty());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Engine.containersOf(endsWhileDown).isEmpty());
  }

  @Test
  void cancelCommittedJustBeforeACrashKeepsOutputAndOutputsAndLeavesNoContainer() {
    String cancelled =
        submit(Api.shellJob("echo kept > /workspace/out/kept.txt; echo before; sleep 300"))
            .getString("id");
    awaitState(cancelled, Duration.ofSeconds(30), "RUNNING");
    await().atMost(Duration.ofSeconds(20)).until(() -> logs(cancelled).contains("before"));

    // The cancel is committed, but the server dies before it has stopped the container.
    Server.kill();
    markCancelled(cancelled);
    Server.start();

    // At start-up the reconciler finds the cancelled job's container with no runner: it is
    // stopped, its output and outputs kept, then removed.
    await().atMost(Duration.ofSeconds(60)).until(() -> Engine.containersOf(cancelled).isEmpty());
    assertEquals("CANCELLED", Api.state(cancelled));
    assertEquals("before\n", logs(cancelled));
    assertEquals(200, Api.get("/api/v1/jobs/" + cancelled + "/files/kept.txt").statusCode());
  }

  /** What a cancel commits while the server is down. */
  private static void markCancelled(String jobId) {
    try (Connection db =
            DriverManager.getConnection(
                System.getProperty("stevedore.db.url"),
                System.getProperty("stevedore.db.user"),
                System.getProperty("stevedore.db.password"));
        PreparedStatement cancel =
            db.prepareStatement(
                "UPDATE job SET state = 'CANCELLED', version = version + 1,"
                    + " finished_at = CURRENT_TIMESTAMP WHERE id = ? AND state = 'RUNNING'")) {
      cancel.setString(1, jobId);
      assertEquals(1, cancel.executeUpdate());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Container onlyContainer(String jobId) {
    List<Container> containers = Engine.containersOf(jobId);
    assertEquals(1, containers.size(), containers.toString());
    return containers.get(0);
  }

  /** A container labelled as the test server's (its node and installation) that no job owns. */
  private static String startOrphanContainer(Map<String, String> serverLabels) {
    String jobId = UUID.randomUUID().toString();
    String id =
        Engine.docker()
            .createContainerCmd(Api.AGENT_IMAGE)
            .withName("stevedore-" + jobId + "-1")
            .withCmd("sleep", "300")
            .withLabels(
                Map.of(
                    "stevedore.job",
                    jobId,
                    "stevedore.attempt",
                    "1",
                    "stevedore.node",
                    serverLabels.get("stevedore.node"),
                    "stevedore.installation",
                    serverLabels.get("stevedore.installation")))
            .exec()
            .getId();
    Engine.docker().startContainerCmd(id).exec();
    assertTrue(!Engine.containersOf(jobId).isEmpty());
    return jobId;
  }
}

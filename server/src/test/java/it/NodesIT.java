package it;

import static it.support.Api.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Database;
import it.support.Engine;
import it.support.Ready;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/nodes lists the installation's nodes from the node table with their last reports; a
 * node whose heartbeat stopped is DEAD; a drained node claims nothing until it is undrained.
 */
class NodesIT {

  private static String self;

  @BeforeAll
  static void ready() {
    Ready.application();
    self = json(Api.get("/api/v1/node")).getString("node");
  }

  private static JsonObject node(String name) {
    return Api.jsonArray(Api.get("/api/v1/nodes")).stream()
        .map(JsonObject.class::cast)
        .filter(node -> node.getString("name").equals(name))
        .findFirst()
        .orElse(null);
  }

  @Test
  void thisNodeIsUpWithWhatItReported() {
    // The first heartbeats of a fresh server may come before its first sample.
    JsonObject node =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> node(self), n -> n != null && n.containsKey("engineId"));

    assertEquals("UP", node.getString("state"));
    assertEquals(Integer.getInteger("stevedore.max.concurrent", 2), node.getInt("slots"));
    assertTrue(node.getString("version").matches("\\d+\\.\\d+\\.\\d+.*"), node.toString());
    assertEquals(3, node.getJsonArray("loadAverage").size());
    assertTrue(node.getJsonNumber("diskFreeBytes").longValue() > 0);
    assertEquals(
        json(Api.get("/api/v1/node")).getJsonObject("engine").getString("id"),
        node.getString("engineId"),
        "the engine's id, as GET /api/v1/node shows it");
    assertNotNull(node.getString("heartbeatAt"));
  }

  @Test
  void aNodeWhoseHeartbeatStoppedIsDead() {
    String gone = "gone-" + UUID.randomUUID().toString().substring(0, 8);
    OffsetDateTime anHourAgo = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1);
    Database.execute(
        "INSERT INTO node (name, instance_id, started_at, heartbeat_at) VALUES (?, ?, ?, ?)",
        gone,
        UUID.randomUUID().toString(),
        anHourAgo,
        anHourAgo);
    try {
      assertEquals("DEAD", node(gone).getString("state"));
    } finally {
      Database.execute("DELETE FROM node WHERE name = ?", gone);
    }
  }

  @Test
  void aDrainedNodeClaimsNothingUntilItIsUndrained() {
    String job;
    try {
      JsonObject drained = json(Api.post("/api/v1/nodes/" + self + "/drain", ""));
      assertEquals("DRAINING", drained.getString("state"));
      assertEquals("DRAINING", node(self).getString("state"));

      job = Api.submit(Api.shellJob("echo ran")).getString("id");
      // Several dispatch passes go by (one each poll interval), and none takes the job.
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(() -> Api.state(job).equals("QUEUED"));
    } finally {
      Api.post("/api/v1/nodes/" + self + "/undrain", "");
    }
    assertEquals("UP", node(self).getString("state"));
    assertEquals("SUCCEEDED", Api.awaitEnd(job).getString("state"));
  }

  @Test
  void onlyOperatorsDrainAndAnUnknownNodeIsNotFound() {
    String viewer =
        json(Api.post("/api/v1/keys", "{\"name\":\"it-nodes-viewer\",\"role\":\"viewer\"}"))
            .getString("key");
    assertEquals(
        403,
        Api.sendAs(
                viewer,
                HttpRequest.newBuilder(Api.uri("/api/v1/nodes/" + self + "/drain"))
                    .POST(HttpRequest.BodyPublishers.noBody()))
            .statusCode());
    assertEquals(
        200,
        Api.sendAs(viewer, HttpRequest.newBuilder(Api.uri("/api/v1/nodes")).GET()).statusCode());
    assertEquals(404, Api.post("/api/v1/nodes/no-such-node/drain", "").statusCode());
    assertEquals("UP", node(self).getString("state"));
  }

  @Test
  void theJobsOfALostNodeRunAgainAsNewAttempts() {
    // A job held back by its tenant's quota, then made to look RUNNING on a node that stopped
    // answering an hour ago.
    String tenant = "lost-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(
        201,
        Api.post("/api/v1/tenants", "{\"id\":\"" + tenant + "\",\"maxRunning\":0}").statusCode());
    String key =
        json(Api.post(
                "/api/v1/keys",
                "{\"name\":\"it-lost\",\"role\":\"submitter\",\"tenant\":\"" + tenant + "\"}"))
            .getString("key");
    String job =
        json(Api.sendAs(
                key,
                HttpRequest.newBuilder(Api.uri("/api/v1/jobs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Api.shellJob("echo again")))))
            .getString("id");
    String lost = "lost-node-" + UUID.randomUUID().toString().substring(0, 8);
    OffsetDateTime anHourAgo = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1);
    Database.execute(
        "INSERT INTO node (name, instance_id, started_at, heartbeat_at) VALUES (?, ?, ?, ?)",
        lost,
        UUID.randomUUID().toString(),
        anHourAgo,
        anHourAgo);
    try {
      Database.execute(
          "UPDATE job SET state = 'RUNNING', node = ?, tenant_id = 'default', started_at = ?,"
              + " version = version + 1 WHERE id = ?",
          lost,
          anHourAgo,
          job);

      JsonObject ended = Api.awaitEnd(job);

      assertEquals("SUCCEEDED", ended.getString("state"), ended.toString());
      assertEquals(2, ended.getInt("attempt"));
      assertEquals(self, ended.getString("node"));
      assertTrue(
          ended.getJsonArray("history").stream()
              .map(JsonObject.class::cast)
              .anyMatch(
                  h ->
                      h.getString("reason", "").startsWith("node lost: " + lost)
                          && h.getString("to").equals("QUEUED")),
          ended.toString());
      assertEquals("again\n", Api.logs(job));
    } finally {
      Database.execute("DELETE FROM node WHERE name = ?", lost);
    }
  }

  @Test
  void theSandboxesOfALostNodeEnd() {
    String sandbox =
        json(Api.post("/api/v1/sandboxes", "{\"image\":\"" + Api.AGENT_IMAGE + "\"}"))
            .getString("id");
    String lost = "lost-node-" + UUID.randomUUID().toString().substring(0, 8);
    OffsetDateTime anHourAgo = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1);
    Database.execute(
        "INSERT INTO node (name, instance_id, started_at, heartbeat_at) VALUES (?, ?, ?, ?)",
        lost,
        UUID.randomUUID().toString(),
        anHourAgo,
        anHourAgo);
    try {
      Database.execute("UPDATE sandbox SET node = ? WHERE id = ?", lost, sandbox);

      JsonObject ended =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> json(Api.get("/api/v1/sandboxes/" + sandbox)),
                  s -> s.getString("state").equals("ENDED"));
      assertTrue(
          ended.getString("endReason").contains("its node " + lost + " was lost"),
          ended.toString());
      // This node still held it: its next look at its sandboxes removes the container.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Engine.docker()
                      .listContainersCmd()
                      .withShowAll(true)
                      .withLabelFilter(java.util.Map.of("stevedore.sandbox", sandbox))
                      .exec()
                      .isEmpty());
    } finally {
      Database.execute("DELETE FROM node WHERE name = ?", lost);
    }
  }
}

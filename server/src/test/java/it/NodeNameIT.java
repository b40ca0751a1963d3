package it;

import static it.support.Api.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import it.support.Api;
import it.support.Database;
import it.support.Ready;
import it.support.Server;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two live servers of one installation never share a node name: the second does not start. */
class NodeNameIT {

  @BeforeAll
  static void ready() {
    Ready.application();
  }

  @Test
  void aServerWhoseNodeNameALiveServerHoldsRefusesToStart() {
    String node = json(Api.get("/api/v1/node")).getString("node");
    Server.stop(); // a clean stop gives the name back (its row stays, released)
    String other = UUID.randomUUID().toString();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    Database.execute(
        "UPDATE node SET instance_id = ?, started_at = ?, heartbeat_at = ? WHERE name = ?",
        other,
        now,
        now,
        node);
    ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();
    heartbeat.scheduleWithFixedDelay(
        () ->
            Database.execute(
                "UPDATE node SET heartbeat_at = ? WHERE name = ?",
                OffsetDateTime.now(ZoneOffset.UTC),
                node),
        0,
        500,
        TimeUnit.MILLISECONDS);
    try {
      Server.launch();
      await()
          .atMost(Duration.ofSeconds(180))
          .until(() -> Server.messages().contains("is held by another running server"));
      assertNotEquals(200, Api.get("/api/v1/node").statusCode(), "the application did not start");
    } finally {
      heartbeat.shutdownNow();
      Server.stop();
      Database.execute("DELETE FROM node WHERE name = ? AND instance_id = ?", node, other);
      Server.start();
    }
    assertEquals(node, json(Api.get("/api/v1/node")).getString("node"));
  }
}

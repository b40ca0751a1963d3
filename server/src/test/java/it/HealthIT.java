package it;

import static it.support.Api.get;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import it.support.Api;
import it.support.DockerDaemon;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** MicroProfile Health: readiness follows the Docker engine, liveness does not. */
class HealthIT {

  @Test
  void allChecksAreUpOnAHealthyNode() {
    JsonObject health = health("/health", 200);
    assertEquals("UP", health.getString("status"));
    for (String check :
        new String[] {"dispatcher", "database", "docker-engine", "disk", "startup"}) {
      assertEquals("UP", check(health, check).getString("status"), check);
    }
    JsonObject disk = check(health, "disk").getJsonObject("data");
    assertEquals(1024, disk.getInt("minFreeMb"));
  }

  @Test
  void readinessIsDownWhileTheEngineIsStoppedAndLivenessStaysUp() {
    health("/health/ready", 200);
    DockerDaemon.stop();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> get("/health/ready").statusCode() == 503);
      JsonObject ready = health("/health/ready", 503);
      assertEquals("DOWN", ready.getString("status"));
      JsonObject engine = check(ready, "docker-engine");
      assertEquals("DOWN", engine.getString("status"));
      assertEquals(
          "the Docker engine does not answer", engine.getJsonObject("data").getString("reason"));
      assertEquals("UP", check(ready, "database").getString("status"));

      JsonObject live = health("/health/live", 200);
      assertEquals("UP", live.getString("status"));
      assertEquals("UP", health("/health/started", 200).getString("status"));
    } finally {
      DockerDaemon.start();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> get("/health/ready").statusCode() == 200);
    assertEquals("UP", health("/health/live", 200).getString("status"));
  }

  private static JsonObject health(String path, int status) {
    HttpResponse<String> response = get(path);
    assertEquals(status, response.statusCode(), response.body());
    return Api.json(response);
  }

  private static JsonObject check(JsonObject health, String name) {
    return health.getJsonArray("checks").stream()
        .map(JsonValue::asJsonObject)
        .filter(c -> c.getString("name").equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no check " + name + " in " + health));
  }
}

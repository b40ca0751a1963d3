package it;

import static it.support.Api.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import it.support.Api;
import it.support.Engine;
import it.support.Ready;
import it.support.Server;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database and one data directory, each with a Docker engine of its
 * own: the server the build started (A, on the machine's engine) and one started here (C, on the
 * second engine that scripts/setup-debian.sh starts beside the first). Jobs run exactly once in one
 * container of their node's engine, and the jobs of a node killed with work on it run again
 * elsewhere, its engine left clean once it is back.
 */
class SeparateEnginesIT {

  private static final String C_NAME = System.getProperty("stevedore.nodec.server.name");
  private static final String C = System.getProperty("stevedore.nodec.url");
  private static final DockerClient ENGINE_C =
      Engine.at(System.getProperty("stevedore.engineb.host"));
  private static String nodeA;
  private static String nodeC;

  @BeforeAll
  static void startNodeC() {
    Ready.application();
    Server.start(C_NAME, C);
    nodeA = json(Api.get("/api/v1/node")).getString("node");
    nodeC = json(onC("GET", "/api/v1/node", null)).getString("node");
  }

  @AfterAll
  static void stopNodeC() {
    Api.post("/api/v1/nodes/" + nodeA + "/undrain", "");
    Server.stop(C_NAME);
  }

  private static HttpResponse<String> onC(String method, String path, String json) {
    return Api.at(C, method, path, json);
  }

  private static String submitToC(String script) {
    HttpResponse<String> answer = onC("POST", "/api/v1/jobs", Api.shellJob(script));
    assertEquals(201, answer.statusCode(), answer.body());
    return json(answer).getString("id");
  }

  @Test
  void theNodesReportEnginesOfTheirOwn() {
    Map<String, String> engines = new HashMap<>();
    Api.jsonArray(Api.get("/api/v1/nodes")).stream()
        .map(JsonObject.class::cast)
        .forEach(n -> engines.put(n.getString("name"), n.getString("engineId", null)));
    assertTrue(engines.get(nodeA) != null && engines.get(nodeC) != null, engines.toString());
    assertTrue(!engines.get(nodeA).equals(engines.get(nodeC)), engines.toString());
  }

  @Test
  void aThousandJobsSentToEitherNodeRunExactlyOnceOnBoth() throws Exception {
    // A tenant of their own, whose quota lets both nodes use all their slots.
    String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> made =
        Api.post(
            "/api/v1/tenants",
            Json.createObjectBuilder()
                .add("id", tenant)
                .add("maxRunning", 8)
                .add("maxQueued", 2000)
                .build()
                .toString());
    assertEquals(201, made.statusCode(), made.body());
    String key =
        json(Api.post(
                "/api/v1/keys",
                Json.createObjectBuilder()
                    .add("name", "thousand")
                    .add("role", "SUBMITTER")
                    .add("tenant", tenant)
                    .build()
                    .toString()))
            .getString("key");
    Engine.Creations onA = Engine.watchCreations(Engine.docker());
    Engine.Creations onC = Engine.watchCreations(ENGINE_C);

    // Submitted eight at a time, every other one to each node.
    List<String> jobs = new java.util.concurrent.CopyOnWriteArrayList<>();
    var submitters = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        String base = i % 2 == 1 ? C : Api.BASE;
        sent.add(
            submitters.submit(
                () -> {
                  HttpResponse<String> answer =
                      Api.sendAs(
                          key,
                          HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs"))
                              .header("Content-Type", "application/json")
                              .POST(HttpRequest.BodyPublishers.ofString(Api.shellJob("true"))));
                  assertEquals(201, answer.statusCode(), answer.body());
                  jobs.add(json(answer).getString("id"));
                }));
      }
      for (var submission : sent) {
        submission.get();
      }
    } finally {
      submitters.shutdownNow();
    }
    assertEquals(1000, jobs.size());
    Map<String, Integer> ranOn = new HashMap<>();
    Map<String, String> nodes = new HashMap<>();
    for (String id : jobs) {
      JsonObject ended = Api.awaitState(id, Duration.ofMinutes(10), "SUCCEEDED", "FAILED");
      assertEquals("SUCCEEDED", ended.getString("state"), ended.toString());
      assertEquals(1, ended.getInt("attempt"), "one attempt: " + ended);
      assertEquals(
          1, Api.history(ended).stream().filter("STARTING"::equals).count(), "claimed once");
      ranOn.merge(ended.getString("node"), 1, Integer::sum);
      nodes.put(id, ended.getString("node"));
    }
    assertEquals(Set.of(nodeA, nodeC), ranOn.keySet(), "both nodes ran work: " + ranOn);

    // The engines' own record: one container made per attempt, on the engine of its node.
    try (onA;
        onC) {
      for (String id : jobs) {
        boolean ranOnC = nodes.get(id).equals(nodeC);
        assertEquals(
            List.of(ranOnC ? 0 : 1, ranOnC ? 1 : 0),
            List.of(onA.of(id), onC.of(id)),
            "containers made for " + id + " on each engine");
      }
    }
  }

  @Test
  void aKilledNodeWithAnEngineOfItsOwnLosesNoneOfItsJobs() {
    // On C: two jobs that run long in their first attempt, and two that wait for a slot.
    Api.post("/api/v1/nodes/" + nodeA + "/drain", "");
    List<String> running = new ArrayList<>();
    List<String> queued = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        running.add(submitToC("if [ \"$STEVEDORE_ATTEMPT\" = 1 ]; then sleep 300; fi; echo done"));
      }
      for (String id : running) {
        Api.awaitState(id, Duration.ofSeconds(60), "RUNNING");
      }
      for (int i = 0; i < 2; i++) {
        queued.add(submitToC("echo queued"));
      }
      Server.kill(C_NAME);
    } finally {
      Api.post("/api/v1/nodes/" + nodeA + "/undrain", "");
    }

    // The queued ones are anyone's: A runs them at once.
    for (String id : queued) {
      JsonObject ended = Api.awaitEnd(id);
      assertEquals("SUCCEEDED", ended.getString("state"), ended.toString());
      assertEquals(nodeA, ended.getString("node"));
    }
    // A cannot reach C's engine: once C has been silent past its lease and grace period, its
    // running jobs run again on A as new attempts, not counted against their retries.
    for (String id : running) {
      JsonObject ended = Api.awaitState(id, Duration.ofSeconds(90), "SUCCEEDED", "FAILED");
      assertEquals("SUCCEEDED", ended.getString("state"), ended.toString());
      assertEquals(2, ended.getInt("attempt"), ended.toString());
      assertEquals(nodeA, ended.getString("node"));
      assertTrue(ended.toString().contains("node lost: " + nodeC), ended.toString());
      assertEquals(
          1, Engine.containersOf(ENGINE_C, id).size(), "its first attempt's is still there");
    }

    // C comes back: the containers of the attempts that moved on go from its engine.
    Server.start(C_NAME, C);
    for (String id : running) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Engine.containersOf(ENGINE_C, id).isEmpty());
      assertEquals("SUCCEEDED", Api.job(id).getString("state"), "C recorded nothing of it");
    }
  }
}

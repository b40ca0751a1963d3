package it;

import static it.support.Api.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Engine;
import it.support.PostgresServer;
import it.support.Ready;
import it.support.Server;
import it.support.Stream;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL database, one Docker engine and one data directory (shared storage at
 * the same path): the server the build started (A) and a second one started here (B). Jobs are
 * claimed once whichever node they were sent to, either node answers for every job, and a node
 * killed with work on it loses none of it.
 */
class MultiNodeIT {

  private static final String B_NAME = System.getProperty("stevedore.nodeb.server.name");
  private static final String B = System.getProperty("stevedore.nodeb.url");
  private static String nodeA;
  private static String nodeB;

  @BeforeAll
  static void startNodeB() {
    Ready.application();
    Server.start(B_NAME, B);
    nodeA = json(Api.get("/api/v1/node")).getString("node");
    nodeB = json(onB("GET", "/api/v1/node", null)).getString("node");
  }

  @AfterAll
  static void stopNodeB() {
    Api.post("/api/v1/nodes/" + nodeA + "/undrain", "");
    Server.stop(B_NAME);
  }

  private static HttpResponse<String> onB(String method, String path, String json) {
    return Api.at(B, method, path, json);
  }

  private static String submitTo(boolean toB, String script) {
    HttpResponse<String> answer =
        toB ? onB("POST", "/api/v1/jobs", Api.shellJob(script)) : post(Api.shellJob(script));
    assertEquals(201, answer.statusCode(), answer.body());
    return json(answer).getString("id");
  }

  private static HttpResponse<String> post(String json) {
    return Api.post("/api/v1/jobs", json);
  }

  private static Set<String> states(JsonObject job) {
    return job.getJsonArray("history").stream()
        .map(JsonObject.class::cast)
        .map(h -> h.getString("to"))
        .collect(Collectors.toSet());
  }

  @Test
  void eitherNodeListsBothUp() {
    for (HttpResponse<String> answer :
        List.of(Api.get("/api/v1/nodes"), onB("GET", "/api/v1/nodes", null))) {
      Map<String, String> states =
          Api.jsonArray(answer).stream()
              .map(JsonObject.class::cast)
              .collect(Collectors.toMap(n -> n.getString("name"), n -> n.getString("state")));
      assertEquals("UP", states.get(nodeA), states.toString());
      assertEquals("UP", states.get(nodeB), states.toString());
    }
  }

  @Test
  void jobsSentToEitherNodeRunExactlyOnceOnBoth() {
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      jobs.add(submitTo(i % 2 == 1, "true"));
    }
    Set<String> ranOn = new HashSet<>();
    for (String id : jobs) {
      JsonObject ended = Api.awaitEnd(id);
      assertEquals("SUCCEEDED", ended.getString("state"), ended.toString());
      assertEquals(1, ended.getInt("attempt"), "one attempt: " + ended);
      assertEquals(
          1, Api.history(ended).stream().filter("STARTING"::equals).count(), "claimed once");
      ranOn.add(ended.getString("node"));
    }
    assertEquals(Set.of(nodeA, nodeB), ranOn, "both nodes ran work");
  }

  @Test
  void aDrainedNodeTakesNothingNewAndEndsWithZeroRunning() {
    List<String> before = new ArrayList<>();
    List<String> after = new ArrayList<>();
    Api.post("/api/v1/nodes/" + nodeA + "/drain", "");
    try {
      for (int i = 0; i < 2; i++) {
        before.add(submitTo(true, "sleep 5; echo done"));
      }
      for (String id : before) {
        Api.awaitState(id, Duration.ofSeconds(60), "RUNNING");
      }
      Api.post("/api/v1/nodes/" + nodeA + "/undrain", "");
      assertEquals(200, onB("POST", "/api/v1/nodes/" + nodeB + "/drain", "{}").statusCode());
      for (int i = 0; i < 4; i++) {
        after.add(submitTo(true, "true"));
      }
      // What it ran goes on to its end there; what came after runs on the other node.
      for (String id : before) {
        JsonObject ended = Api.awaitEnd(id);
        assertEquals("SUCCEEDED", ended.getString("state"), ended.toString());
        assertEquals(nodeB, ended.getString("node"));
      }
      for (String id : after) {
        JsonObject ended = Api.awaitEnd(id);
        assertEquals("SUCCEEDED", ended.getString("state"), ended.toString());
        assertEquals(nodeA, ended.getString("node"));
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Api.jsonArray(Api.get("/api/v1/nodes")).stream()
                      .map(JsonObject.class::cast)
                      .anyMatch(
                          n ->
                              n.getString("name").equals(nodeB)
                                  && n.getString("state").equals("DRAINING")
                                  && n.getInt("running") == 0));
    } finally {
      Api.post("/api/v1/nodes/" + nodeA + "/undrain", "");
      onB("POST", "/api/v1/nodes/" + nodeB + "/undrain", "{}");
    }
  }

  @Test
  void aJobOnOneNodeIsFollowedLiveFromTheOther() throws Exception {
    // A takes nothing while drained: the job runs on B, and A is asked for it.
    Api.post("/api/v1/nodes/" + nodeA + "/drain", "");
    Stream events = Stream.open("/ws/events?ticket=" + Stream.ticket(Api.ADMIN_KEY), true);
    String id;
    Stream socket;
    try {
      id = submitTo(true, "for i in 1 2 3 4 5; do echo line $i; sleep 1; done");
      Api.awaitState(id, Duration.ofSeconds(60), "RUNNING");
      socket = Stream.open("/ws/jobs/" + id + "/logs?ticket=" + Stream.ticket(Api.ADMIN_KEY), true);
    } finally {
      Api.post("/api/v1/nodes/" + nodeA + "/undrain", "");
    }
    assertEquals(nodeB, Api.job(id).getString("node"));

    HttpResponse<InputStream> follow =
        Api.send(
            HttpRequest.newBuilder(Api.uri("/api/v1/jobs/" + id + "/logs?follow=true")).GET(),
            HttpResponse.BodyHandlers.ofInputStream());
    List<String> lines = new ArrayList<>();
    List<Instant> arrived = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(follow.body(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
        arrived.add(Instant.now());
      }
    }

    List<String> expected = List.of("line 1", "line 2", "line 3", "line 4", "line 5");
    assertEquals(expected, lines);
    assertTrue(
        Duration.between(arrived.get(1), arrived.get(4)).toMillis() >= 1000,
        "lines came as they were written on the other node: " + arrived);
    assertEquals("SUCCEEDED", Api.job(id).getString("state"));

    // The WebSocket stream on A: every line once, in order, then the end, then a normal close.
    assertEquals(1000, socket.closed.get(30, java.util.concurrent.TimeUnit.SECONDS));
    List<String> streamed =
        socket.messages.stream()
            .filter(m -> m.getString("type").equals("line"))
            .map(m -> m.getString("text"))
            .toList();
    assertEquals(expected, streamed);
    JsonObject end = socket.messages.get(socket.messages.size() - 1);
    assertEquals("end", end.getString("type"), end.toString());
    assertEquals("SUCCEEDED", end.getString("state"), end.toString());
    // A's event stream heard every change B made.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> statesHeard(events, id).contains("SUCCEEDED"));
    assertEquals(List.of("QUEUED", "STARTING", "RUNNING", "SUCCEEDED"), statesHeard(events, id));
    events.abort();
  }

  private static List<String> statesHeard(Stream events, String id) {
    return events.messages.stream()
        .filter(m -> id.equals(m.getString("jobId", null)))
        .map(m -> m.getString("to"))
        .toList();
  }

  @Test
  void aKilledNodeLosesNoneOfItsJobs() {
    // On B: two jobs that run long in their first attempt, and two that wait for a slot.
    Api.post("/api/v1/nodes/" + nodeA + "/drain", "");
    List<String> running = new ArrayList<>();
    List<String> queued = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        running.add(
            submitTo(true, "if [ \"$STEVEDORE_ATTEMPT\" = 1 ]; then sleep 25; fi; echo done"));
      }
      for (String id : running) {
        Api.awaitState(id, Duration.ofSeconds(60), "RUNNING");
      }
      for (int i = 0; i < 2; i++) {
        queued.add(submitTo(true, "echo queued"));
      }
      Server.kill(B_NAME);
    } finally {
      Api.post("/api/v1/nodes/" + nodeA + "/undrain", "");
    }
    // The first one's container goes with its node, as when a machine is lost with its engine.
    String gone = running.get(0);
    String adopted = running.get(1);
    for (var container : Engine.containersOf(gone)) {
      Engine.docker().removeContainerCmd(container.getId()).withForce(true).exec();
    }

    // The queued ones are anyone's: A runs them at once.
    for (String id : queued) {
      JsonObject ended = Api.awaitEnd(id);
      assertEquals("SUCCEEDED", ended.getString("state"), ended.toString());
      assertEquals(nodeA, ended.getString("node"));
    }
    // Once B has been silent past its lease and grace period: the job whose container is gone
    // runs again on A as a new attempt, not counted against its retries...
    JsonObject requeued = Api.awaitState(gone, Duration.ofSeconds(90), "SUCCEEDED", "FAILED");
    assertEquals("SUCCEEDED", requeued.getString("state"), requeued.toString());
    assertEquals(2, requeued.getInt("attempt"), requeued.toString());
    assertEquals(nodeA, requeued.getString("node"));
    assertTrue(requeued.toString().contains("node lost: " + nodeB), requeued.toString());
    assertTrue(states(requeued).contains("QUEUED"));
    // ... and A, which drives the same engine, adopts the container still there: same attempt.
    JsonObject kept = Api.awaitState(adopted, Duration.ofSeconds(90), "SUCCEEDED", "FAILED");
    assertEquals("SUCCEEDED", kept.getString("state"), kept.toString());
    assertEquals(1, kept.getInt("attempt"), kept.toString());
    assertEquals(nodeA, kept.getString("node"));
    assertEquals(
        1,
        kept.getJsonArray("history").stream()
            .map(JsonObject.class::cast)
            .filter(h -> h.getString("to").equals("STARTING"))
            .count(),
        kept.toString());
    assertTrue(Api.logs(adopted).contains("done"), Api.logs(adopted));

    // B comes back: the containers of the attempts that moved on go, and nothing is left.
    Server.start(B_NAME, B);
    for (String id : running) {
      await().atMost(Duration.ofSeconds(60)).until(() -> Engine.containersOf(id).isEmpty());
      assertEquals("SUCCEEDED", Api.job(id).getString("state"), "B recorded nothing of it");
    }
  }

  @Test
  void aBatchOfAKilledNodeIsRestartedFromTheOther() {
    JsonArrayBuilder items = Json.createArrayBuilder();
    for (int i = 0; i < 8; i++) {
      items.add(Json.createObjectBuilder());
    }
    String body =
        Json.createObjectBuilder()
            .add("name", "it-batch-nodes")
            .add("template", Api.shellSpec("sleep 2").add("timeoutSeconds", 120))
            .add("items", items)
            .add("parallelism", 2)
            .add("checkpointEvery", 2)
            .add("maxFailedItems", 0)
            .build()
            .toString();
    HttpResponse<String> made = onB("POST", "/api/v1/batches", body);
    assertEquals(201, made.statusCode(), made.body());
    String id = json(made).getString("id");
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> batch(id).getJsonObject("progress").getInt("succeeded") >= 2);

    Server.kill(B_NAME); // its execution runs in B's batch runtime, which no longer answers
    try {
      // Once B has been silent past its grace period, A marks the execution failed...
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> batch(id).getString("state").equals("FAILED"));
      // ... and restarts it on an operator's word: every item ends once, none runs again.
      HttpResponse<String> restart = Api.post("/api/v1/batches/" + id + "/restart", "");
      assertEquals(200, restart.statusCode(), restart.body());
      await()
          .atMost(Duration.ofMinutes(4))
          .until(
              () ->
                  Set.of("COMPLETED", "FAILED", "STOPPED").contains(batch(id).getString("state")));
      assertEquals("COMPLETED", batch(id).getString("state"), batch(id).toString());
      var stored = Api.jsonArray(Api.get("/api/v1/batches/" + id + "/items"));
      assertEquals(8, stored.size());
      for (var item : stored) {
        assertEquals("SUCCEEDED", item.asJsonObject().getString("state"), item.toString());
      }
      Map<String, Integer> successes = new HashMap<>();
      for (var job :
          json(Api.get("/api/v1/jobs?limit=500&label=stevedore.batch=" + id))
              .getJsonArray("items")) {
        if (job.asJsonObject().getString("state").equals("SUCCEEDED")) {
          successes.merge(job.asJsonObject().getString("name"), 1, Integer::sum);
        }
      }
      assertEquals(8, successes.size(), successes.toString());
      successes.forEach((item, count) -> assertEquals(1, count, "successes of " + item));
    } finally {
      Server.start(B_NAME, B);
    }
  }

  private static JsonObject batch(String id) {
    return json(Api.get("/api/v1/batches/" + id));
  }

  @Test
  void aDatabaseRestartLosesNoJobAndRunsNoneTwice() {
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      // Long enough that the database stays away longer than a silence that means a lost node.
      jobs.add(submitTo(i % 2 == 1, "sleep 30; echo done"));
    }
    for (String id : jobs) {
      Api.awaitState(id, Duration.ofSeconds(60), "RUNNING", "SUCCEEDED");
    }

    PostgresServer.stop();
    try {
      // Both say they cannot take work while it is away; the jobs' containers end meanwhile.
      for (String node : List.of(Api.BASE, B)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> health(node).statusCode() == 503);
        assertTrue(health(node).body().contains("database"), health(node).body());
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> Engine.runningAmong(jobs) == 0);
    } finally {
      PostgresServer.start();
    }

    // Both reconnect by themselves: ready again, and every job ended once, in its first attempt.
    for (String node : List.of(Api.BASE, B)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(() -> health(node).statusCode() == 200);
    }
    Set<String> ranOn = new HashSet<>();
    for (String id : jobs) {
      JsonObject ended = Api.awaitState(id, Duration.ofSeconds(90), "SUCCEEDED", "FAILED");
      assertEquals("SUCCEEDED", ended.getString("state"), ended.toString());
      assertEquals(1, ended.getInt("attempt"), ended.toString());
      assertEquals(
          1, Api.history(ended).stream().filter("STARTING"::equals).count(), ended.toString());
      ranOn.add(ended.getString("node"));
    }
    assertEquals(Set.of(nodeA, nodeB), ranOn, "both nodes ran work");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> jobs.stream().allMatch(id -> Engine.containersOf(id).isEmpty()));
  }

  private static HttpResponse<String> health(String base) {
    return Api.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).GET());
  }
}

package it;

import static it.support.Api.awaitEnd;
import static it.support.Api.awaitState;
import static it.support.Api.json;
import static it.support.Api.logs;
import static it.support.Api.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import it.support.Api;
import it.support.Engine;
import it.support.Metrics;
import it.support.Server;
import it.support.Stream;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Warm pools with the real engine: a pooled job behaves as a cold one, a reused container is
 * emptied between jobs and never crosses tenants, the pool refills after use, a kill and an OOM,
 * cancel and deadline hold, and a killed server loses no job and leaves no container no pool owns.
 */
class PoolIT {

  private static final String POOLS = "/api/v1/pools";
  private static final List<String> made = new ArrayList<>();

  @AfterAll
  static void removePools() {
    for (String pool : made) {
      Api.send(HttpRequest.newBuilder(Api.uri(POOLS + "/" + pool)).DELETE());
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> made.stream().allMatch(pool -> containersOfPool(pool).isEmpty()));
  }

  @Test
  void aPooledJobsResultLogAndOutputsEqualAColdJobs() {
    Stream events = Stream.open("/ws/events?ticket=" + Stream.ticket(Api.ADMIN_KEY), true);
    String pool = definePool(pool("never", 1).add("env", Json.createObjectBuilder().add("P", "p")));
    awaitWarm(pool, 1);
    String script =
        "cat $STEVEDORE_PROMPT_FILE; echo; echo \"$GREETING $P $(id -u)\"; echo data >"
            + " /workspace/out/r.txt; echo err >&2; exit 3";
    JsonObjectBuilder cold =
        Api.shellSpec(script)
            .add("prompt", "the prompt")
            .add("env", Json.createObjectBuilder().add("GREETING", "hi").add("P", "p"));
    JsonObjectBuilder pooled =
        Api.shellSpec(script)
            .add("prompt", "the prompt")
            .add("env", Json.createObjectBuilder().add("GREETING", "hi"))
            .add("pool", pool);

    JsonObject coldJob = awaitEnd(submit(cold.build().toString()).getString("id"));
    JsonObject pooledJob = awaitEnd(submit(pooled.build().toString()).getString("id"));

    assertEquals("FAILED", pooledJob.getString("state"), pooledJob.toString());
    assertEquals(coldJob.getInt("exitCode"), pooledJob.getInt("exitCode"));
    assertEquals(3, pooledJob.getInt("exitCode"));
    assertEquals("warm", pooledJob.getString("start"));
    assertTrue(pooledJob.getString("container").startsWith("stevedore-pool-" + pool + "-"));
    // The order of lines across stdout and stderr is the engine's to choose: compared as sets.
    assertEquals(lines(coldJob.getString("id")), lines(pooledJob.getString("id")));
    assertEquals(Set.of("the prompt", "hi p 65534", "err"), lines(pooledJob.getString("id")));
    assertEquals(
        "data\n", Api.get("/api/v1/jobs/" + pooledJob.getString("id") + "/files/r.txt").body());
    // One job per container: the used one is replaced by a new warm one.
    awaitWarm(pool, 1);
    assertFalse(
        containerNames(pool).contains(pooledJob.getString("container")),
        "the container that served the job is gone");
    // Heard on the events stream and counted in the metrics.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                events.messages.stream()
                    .filter(m -> "pool".equals(m.getString("type")))
                    .filter(m -> pool.equals(m.getString("pool")))
                    .map(m -> m.getString("event"))
                    .collect(Collectors.toSet())
                    .containsAll(Set.of("starting", "warm", "busy", "replaced")));
    events.abort();
    Map<String, Double> metrics = Metrics.read();
    assertEquals(
        1.0, metrics.get("stevedore_pool_hits_total{pool=" + pool + "}"), metrics.toString());
    assertEquals(
        1.0,
        metrics.get("stevedore_pool_containers{pool=" + pool + ",state=warm}"),
        metrics.toString());
  }

  @Test
  void aWarmContainerHasTheFullSandbox() {
    String pool = definePool(pool("never", 1));
    awaitWarm(pool, 1);
    Container container = containersOfPool(pool).get(0);
    InspectContainerResponse inspected =
        Engine.docker().inspectContainerCmd(container.getId()).exec();
    assertEquals("65534:65534", inspected.getConfig().getUser());
    assertTrue(Arrays.asList(inspected.getHostConfig().getCapDrop()).contains(Capability.ALL));
    assertTrue(inspected.getHostConfig().getReadonlyRootfs());
    assertEquals("none", inspected.getHostConfig().getNetworkMode());
    assertEquals(64L * 1024 * 1024, inspected.getHostConfig().getMemory());
    assertTrue(inspected.getHostConfig().getSecurityOpts().contains("no-new-privileges:true"));
    assertNotNull(container.getLabels().get("stevedore.installation"));
  }

  @Test
  void aReusedContainerIsEmptiedBetweenTwoJobsOfOneTenant() {
    String pool = definePool(pool("tenant", 1));
    awaitWarm(pool, 1);
    JsonObject first =
        awaitEnd(
            submit(
                    Api.shellSpec(
                            "echo secret > /tmp/left; echo in-out > /workspace/out/left.txt;"
                                + " sleep 600 >/dev/null 2>&1 & echo done")
                        .add("pool", pool)
                        .build()
                        .toString())
                .getString("id"));
    assertEquals("SUCCEEDED", first.getString("state"), first.toString());
    awaitWarm(pool, 1);

    JsonObject second =
        awaitEnd(
            submit(
                    Api.shellSpec(
                            "ls -A /tmp /workspace/out; ps -o args | grep -c '^sleep 600' || true")
                        .add("pool", pool)
                        .build()
                        .toString())
                .getString("id"));

    assertEquals("SUCCEEDED", second.getString("state"), second.toString());
    assertEquals(first.getString("container"), second.getString("container"), "reused");
    String seen = logs(second.getString("id"));
    assertFalse(seen.contains("left"), seen);
    // The first job's background process is gone.
    assertTrue(seen.endsWith("0\n"), seen);
  }

  @Test
  void aReusedContainerNeverServesTwoTenants() {
    String tenantA = tenant();
    String tenantB = tenant();
    String pool =
        definePool(
            pool("tenant", 1).add("tenants", Json.createArrayBuilder().add(tenantA).add(tenantB)));
    String keyA = key(tenantA);
    String keyB = key(tenantB);
    awaitWarm(pool, 1);

    JsonObject ofA = awaitEndAs(submitAs(keyA, pool, "echo a"), keyA);
    awaitWarm(pool, 1);
    JsonObject ofB = awaitEndAs(submitAs(keyB, pool, "echo b"), keyB);

    assertEquals("SUCCEEDED", ofA.getString("state"), ofA.toString());
    assertEquals("SUCCEEDED", ofB.getString("state"), ofB.toString());
    assertNotEquals(ofA.getString("container"), ofB.getString("container"));

    // A tenant the pool does not name cannot use it, and is told so as bad input.
    String other = key(tenant());
    HttpResponse<String> refused =
        Api.sendAs(
            other,
            HttpRequest.newBuilder(Api.uri("/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        Api.shellSpec("true").add("pool", pool).build().toString())));
    assertEquals(400, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("\"pool\""), refused.body());
  }

  @Test
  void initRunsBeforeAContainerIsWarmAndItsFailureIsReported() {
    String ready =
        definePool(
            pool("never", 1)
                .add(
                    "init",
                    Json.createArrayBuilder().add("sh").add("-c").add("echo ready > /tmp/ready")));
    String broken =
        definePool(
            pool("never", 1)
                .add("init", Json.createArrayBuilder().add("sh").add("-c").add("echo no; exit 7")));
    awaitWarm(ready, 1);
    JsonObject job =
        awaitEnd(
            submit(Api.shellSpec("cat /tmp/ready").add("pool", ready).build().toString())
                .getString("id"));
    assertEquals("ready\n", logs(job.getString("id")));

    await().atMost(Duration.ofSeconds(60)).until(() -> node(broken).getInt("failed") >= 1);
    JsonObject status = node(broken);
    assertEquals(0, status.getInt("warm"));
    assertTrue(
        status.getString("lastFailure").contains("init exited with code 7"), status.toString());
  }

  @Test
  void thePoolRefillsAfterAContainerIsKilledFromOutsideAndAfterAnOom() {
    String pool = definePool(pool("tenant", 1));
    awaitWarm(pool, 1);
    String killed = containerNames(pool).iterator().next();
    Engine.docker().killContainerCmd(killed).exec();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> node(pool).getInt("warm") == 1 && !containerNames(pool).contains(killed));
    assertTrue(node(pool).getInt("failed") >= 1);

    JsonObject hog =
        awaitEnd(
            submit(Api.shellSpec("tail /dev/zero").add("pool", pool).build().toString())
                .getString("id"));
    assertEquals("FAILED", hog.getString("state"), hog.toString());
    assertTrue(hog.getString("reason").contains("OOMKilled"), hog.toString());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                node(pool).getInt("warm") == 1
                    && !containerNames(pool).contains(hog.getString("container")));
  }

  @Test
  void cancelAndDeadlineOfAPooledJobHold() {
    String pool = definePool(pool("tenant", 2));
    awaitWarm(pool, 2);
    String cancelled =
        submit(Api.shellSpec("echo started; sleep 300").add("pool", pool).build().toString())
            .getString("id");
    String late =
        submit(
                Api.shellSpec("echo started; sleep 300")
                    .add("pool", pool)
                    .add("timeoutSeconds", 2)
                    .build()
                    .toString())
            .getString("id");
    awaitState(cancelled, Duration.ofSeconds(30), "RUNNING");
    await().atMost(Duration.ofSeconds(20)).until(() -> logs(cancelled).contains("started"));
    Api.post("/api/v1/jobs/" + cancelled + "/cancel", "");

    JsonObject cancelledJob = awaitEnd(cancelled);
    JsonObject lateJob = awaitEnd(late);
    assertEquals("CANCELLED", cancelledJob.getString("state"));
    assertEquals("started\n", logs(cancelled));
    assertEquals("TIMED_OUT", lateJob.getString("state"), lateJob.toString());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                node(pool).getInt("warm") == 2
                    && !containerNames(pool).contains(cancelledJob.getString("container"))
                    && !containerNames(pool).contains(lateJob.getString("container")));
  }

  @Test
  void aJobWaitsForAWarmContainerOrStartsColdByThePoolsSetting() {
    String waiting = definePool(pool("never", 1));
    String cold = definePool(pool("never", 1).add("whenBusy", "cold"));
    awaitWarm(waiting, 1);
    awaitWarm(cold, 1);
    List<String> ids = new ArrayList<>();
    for (String pool : List.of(waiting, waiting, cold, cold)) {
      ids.add(
          submit(Api.shellSpec("sleep 1; echo ok").add("pool", pool).build().toString())
              .getString("id"));
    }
    List<JsonObject> ended = ids.stream().map(Api::awaitEnd).toList();
    for (JsonObject job : ended) {
      assertEquals("SUCCEEDED", job.getString("state"), job.toString());
    }
    assertEquals("warm", ended.get(0).getString("start"));
    assertEquals("warm", ended.get(1).getString("start"), "it waited for the refill");
    assertEquals(
        Set.of("warm", "cold"),
        Set.of(ended.get(2).getString("start"), ended.get(3).getString("start")));
    assertTrue(node(waiting).getInt("hits") >= 2);
    assertTrue(node(cold).getInt("misses") >= 1);
  }

  @Test
  void aBatchTemplateRunsItsItemsInThePool() {
    String pool = definePool(pool("tenant", 2));
    awaitWarm(pool, 2);
    JsonObject template =
        Api.shellSpec("echo item $ITEM > /workspace/out/item.txt").add("pool", pool).build();
    JsonArrayBuilder items = Json.createArrayBuilder();
    for (int i = 0; i < 4; i++) {
      items.add(
          Json.createObjectBuilder().add("env", Json.createObjectBuilder().add("ITEM", "" + i)));
    }
    HttpResponse<String> submitted =
        Api.post(
            "/api/v1/batches",
            Json.createObjectBuilder()
                .add("name", "pooled")
                .add("template", template)
                .add("items", items)
                .add("parallelism", 2)
                .build()
                .toString());
    assertEquals(201, submitted.statusCode(), submitted.body());
    String batch = json(submitted).getString("id");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> "COMPLETED".equals(json(Api.get("/api/v1/batches/" + batch)).getString("state")));
    var listed =
        Json.createReader(
                new java.io.StringReader(Api.get("/api/v1/batches/" + batch + "/items").body()))
            .readArray();
    assertEquals(4, listed.size());
    for (int i = 0; i < 4; i++) {
      String jobId = listed.getJsonObject(i).getString("jobId");
      JsonObject job = Api.job(jobId);
      assertEquals("SUCCEEDED", job.getString("state"), job.toString());
      assertEquals("warm", job.getString("start"));
      assertEquals("item " + i + "\n", Api.get("/api/v1/jobs/" + jobId + "/files/item.txt").body());
    }
  }

  @Test
  void poolDefinitionsAreCheckedAndOnlyAdministratorsChangeThem() {
    HttpResponse<String> invalid =
        Api.post(
            POOLS,
            Json.createObjectBuilder()
                .add("name", "Bad Name")
                .add("image", Api.AGENT_IMAGE)
                .add("reuse", "always")
                .build()
                .toString());
    assertEquals(400, invalid.statusCode(), invalid.body());
    assertEquals("application/problem+json", invalid.headers().firstValue("Content-Type").get());
    for (String field : List.of("name", "reuse", "tenants")) {
      assertTrue(invalid.body().contains("\"" + field + "\""), invalid.body());
    }

    String pool = definePool(pool("never", 0));
    HttpResponse<String> replaced =
        Api.send(
            HttpRequest.newBuilder(Api.uri(POOLS + "/" + pool))
                .header("Content-Type", "application/json")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        pool("tenant", 0).add("name", pool).build().toString())));
    assertEquals(200, replaced.statusCode(), replaced.body());
    assertEquals(2, json(replaced).getInt("revision"));
    assertEquals("tenant", json(replaced).getJsonObject("spec").getString("reuse"));
    HttpResponse<String> renamed =
        Api.send(
            HttpRequest.newBuilder(Api.uri(POOLS + "/" + pool))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(pool("never", 0).build().toString())));
    assertEquals(400, renamed.statusCode(), renamed.body());
    HttpResponse<String> again =
        Api.post(POOLS, pool("never", 0).add("name", pool).build().toString());
    assertEquals(409, again.statusCode(), again.body());

    String operator = key(tenant(), "OPERATOR");
    HttpResponse<String> forbidden =
        Api.sendAs(
            operator,
            HttpRequest.newBuilder(Api.uri(POOLS))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(pool("never", 0).build().toString())));
    assertEquals(403, forbidden.statusCode());
    HttpResponse<String> listed = Api.sendAs(operator, HttpRequest.newBuilder(Api.uri(POOLS)));
    assertEquals(200, listed.statusCode());

    HttpResponse<String> unknown =
        Api.post(
            "/api/v1/jobs", Api.shellSpec("true").add("pool", "no-such-pool").build().toString());
    assertEquals(400, unknown.statusCode(), unknown.body());
    HttpResponse<String> otherImage =
        Api.post(
            "/api/v1/jobs",
            Api.shellSpec("true")
                .add("pool", pool)
                .add("image", "busybox:latest")
                .build()
                .toString());
    assertEquals(400, otherImage.statusCode(), otherImage.body());
    assertTrue(otherImage.body().contains("\"image\""), otherImage.body());
  }

  @Test
  void aKilledServerLosesNoPooledJobAndLeavesNoContainerNoPoolOwns() {
    String pool = definePool(pool("tenant", 2));
    awaitWarm(pool, 2);
    String running =
        submit(Api.shellSpec("echo started; sleep 300").add("pool", pool).build().toString())
            .getString("id");
    awaitState(running, Duration.ofSeconds(30), "RUNNING");
    await().atMost(Duration.ofSeconds(20)).until(() -> logs(running).contains("started"));
    String busy = Api.job(running).getString("container");
    Set<String> before = containerNames(pool);

    Server.kill();
    Server.start();

    JsonObject settled = awaitEnd(running);
    assertEquals("FAILED", settled.getString("state"), settled.toString());
    assertTrue(settled.getString("reason").contains("server stopped"), settled.toString());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> node(pool).getInt("warm") == 2 && !containerNames(pool).contains(busy));
    Set<String> after = containerNames(pool);
    assertEquals(2, after.size(), "only the pool's own: " + after);
    before.remove(busy);
    assertTrue(after.containsAll(before), "the warm one was adopted: " + before + " " + after);
    JsonObject next =
        awaitEnd(
            submit(Api.shellSpec("echo after").add("pool", pool).build().toString())
                .getString("id"));
    assertEquals("SUCCEEDED", next.getString("state"), next.toString());
  }

  // ---- helpers ----

  private static Set<String> lines(String jobId) {
    return Set.copyOf(logs(jobId).lines().toList());
  }

  private static JsonObjectBuilder pool(String reuse, int size) {
    return Json.createObjectBuilder()
        .add("name", "p-" + UUID.randomUUID().toString().substring(0, 8))
        .add("image", Api.AGENT_IMAGE)
        .add("resources", Json.createObjectBuilder().add("memoryMb", 64).add("cpus", 0.5))
        .add("tenants", Json.createArrayBuilder().add("*"))
        .add("size", size)
        .add("reuse", reuse);
  }

  private static String definePool(JsonObjectBuilder spec) {
    HttpResponse<String> created = Api.post(POOLS, spec.build().toString());
    assertEquals(201, created.statusCode(), created.body());
    String name = json(created).getString("name");
    made.add(name);
    return name;
  }

  private static JsonObject node(String pool) {
    HttpResponse<String> shown = Api.get(POOLS + "/" + pool);
    assertEquals(200, shown.statusCode(), shown.body());
    return json(shown).getJsonObject("status").getJsonArray("nodes").getJsonObject(0);
  }

  private static void awaitWarm(String pool, int warm) {
    await().atMost(Duration.ofSeconds(60)).until(() -> node(pool).getInt("warm") == warm);
  }

  private static List<Container> containersOfPool(String pool) {
    return Engine.docker()
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of("stevedore.pool", pool))
        .exec();
  }

  private static Set<String> containerNames(String pool) {
    return containersOfPool(pool).stream()
        .map(c -> c.getNames()[0].replaceFirst("^/", ""))
        .collect(Collectors.toSet());
  }

  private static String tenant() {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> made =
        Api.post("/api/v1/tenants", Json.createObjectBuilder().add("id", id).build().toString());
    assertEquals(201, made.statusCode(), made.body());
    return id;
  }

  private static String key(String tenant) {
    return key(tenant, "OPERATOR");
  }

  private static String key(String tenant, String role) {
    HttpResponse<String> made =
        Api.post(
            "/api/v1/keys",
            Json.createObjectBuilder()
                .add("name", "pool-it")
                .add("role", role)
                .add("tenant", tenant)
                .build()
                .toString());
    assertEquals(201, made.statusCode(), made.body());
    return json(made).getString("key");
  }

  private static String submitAs(String key, String pool, String script) {
    HttpResponse<String> submitted =
        Api.sendAs(
            key,
            HttpRequest.newBuilder(Api.uri("/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        Api.shellSpec(script).add("pool", pool).build().toString())));
    assertEquals(201, submitted.statusCode(), submitted.body());
    return json(submitted).getString("id");
  }

  private static JsonObject awaitEndAs(String id, String key) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                Api.FINAL_STATES.contains(
                    json(Api.sendAs(key, HttpRequest.newBuilder(Api.uri("/api/v1/jobs/" + id))))
                        .getString("state")));
    return json(Api.sendAs(key, HttpRequest.newBuilder(Api.uri("/api/v1/jobs/" + id))));
  }
}

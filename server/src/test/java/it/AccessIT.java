package it;

import static it.support.Api.awaitEnd;
import static it.support.Api.awaitState;
import static it.support.Api.json;
import static it.support.Api.shellJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Keys, roles, tenants, quotas, rate limits, audit and secrets, as callers meet them. */
class AccessIT {

  private static final String JOBS = "/api/v1/jobs";

  private static HttpResponse<String> get(String key, String path) {
    return Api.sendAs(key, HttpRequest.newBuilder(Api.uri(path)).GET());
  }

  private static HttpResponse<String> post(String key, String path, String json) {
    return Api.sendAs(
        key,
        HttpRequest.newBuilder(Api.uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** A new tenant with the given quotas (null: the server's defaults). */
  private static String tenant(Integer maxRunning, Integer maxQueued) {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    var body = Json.createObjectBuilder().add("id", id);
    if (maxRunning != null) {
      body.add("maxRunning", maxRunning);
    }
    if (maxQueued != null) {
      body.add("maxQueued", maxQueued);
    }
    HttpResponse<String> made = Api.post("/api/v1/tenants", body.build().toString());
    assertEquals(201, made.statusCode(), made.body());
    return id;
  }

  /** A new key; returns the key itself, which only this answer shows. */
  private static JsonObject key(String tenant, String role) {
    String body =
        Json.createObjectBuilder()
            .add("name", "it-" + role)
            .add("role", role.toUpperCase())
            .add("tenant", tenant)
            .build()
            .toString();
    HttpResponse<String> made = Api.post("/api/v1/keys", body);
    assertEquals(201, made.statusCode(), made.body());
    JsonObject key = json(made);
    assertTrue(key.getString("key").startsWith("sdk_"));
    return key;
  }

  @Test
  void everyWayOfNotHavingAValidKeyGetsTheSame401() {
    List<HttpResponse<String>> answers = new ArrayList<>();
    answers.add(Api.sendAs(null, HttpRequest.newBuilder(Api.uri(JOBS)).GET()));
    answers.add(
        Api.sendAs(
            null,
            HttpRequest.newBuilder(Api.uri(JOBS))
                .header("Authorization", "Basic Zm9vOmJhcg==")
                .GET()));
    answers.add(get("x", JOBS));
    answers.add(get("sdk_" + "A".repeat(200), JOBS));

    for (HttpResponse<String> answer : answers) {
      assertEquals(401, answer.statusCode(), answer.body());
      assertEquals(
          "application/problem+json",
          answer.headers().firstValue("Content-Type").orElse("").replace(";charset=UTF-8", ""));
      assertEquals(answers.get(0).body(), answer.body());
    }
    assertEquals(
        200, Api.sendAs(null, HttpRequest.newBuilder(Api.uri("/health")).GET()).statusCode());
    assertEquals(
        200, Api.sendAs(null, HttpRequest.newBuilder(Api.uri("/openapi")).GET()).statusCode());
  }

  @Test
  void rolesLimitWhatAKeyMayDoAndARevokedKeyIsRefused() {
    String tenant = tenant(null, null);
    String viewer = key(tenant, "viewer").getString("key");
    JsonObject submitterKey = key(tenant, "submitter");
    String submitter = submitterKey.getString("key");

    assertEquals(403, post(viewer, JOBS, shellJob("true")).statusCode());
    assertEquals(200, get(viewer, JOBS).statusCode());
    assertEquals(403, get(submitter, "/api/v1/keys").statusCode());
    assertEquals(
        403,
        Api.sendAs(
                submitter,
                HttpRequest.newBuilder(Api.uri("/api/v1/keys/" + submitterKey.getString("id")))
                    .DELETE())
            .statusCode());
    HttpResponse<String> submitted = post(submitter, JOBS, shellJob("true"));
    assertEquals(201, submitted.statusCode(), submitted.body());

    HttpResponse<String> revoked =
        Api.send(
            HttpRequest.newBuilder(Api.uri("/api/v1/keys/" + submitterKey.getString("id")))
                .DELETE());
    assertEquals(200, revoked.statusCode(), revoked.body());
    assertEquals(401, get(submitter, JOBS).statusCode());
    awaitEnd(json(submitted).getString("id"));
  }

  @Test
  void anotherTenantsJobIsNotFoundOnEveryEndpoint() {
    String a = key(tenant(null, null), "operator").getString("key");
    String b = key(tenant(null, null), "operator").getString("key");
    HttpResponse<String> submitted =
        post(a, JOBS, shellJob("echo mine > /workspace/out/x.txt; sleep 1"));
    String id = json(submitted).getString("id");
    String missing = "/api/v1/jobs/" + UUID.randomUUID();

    for (String path : List.of("", "/logs", "/output", "/files", "/files/x.txt")) {
      HttpResponse<String> theirs = get(b, "/api/v1/jobs/" + id + path);
      assertEquals(404, theirs.statusCode(), path);
      assertEquals(get(b, missing + path).statusCode(), theirs.statusCode());
    }
    assertEquals(404, post(b, "/api/v1/jobs/" + id + "/cancel", "").statusCode());
    assertFalse(get(b, JOBS).body().contains(id));
    assertTrue(get(a, JOBS).body().contains(id));
    awaitEnd(id);
    assertEquals(200, get(a, "/api/v1/jobs/" + id + "/files/x.txt").statusCode());
  }

  @Test
  void rateLimitAnswers429WithRetryAfter() throws Exception {
    String key = key(tenant(null, null), "viewer").getString("key");
    HttpResponse<String> limited = null;
    // Many at once, so that the key outruns its refill however slow the machine answers.
    ExecutorService senders = Executors.newFixedThreadPool(16);
    try {
      for (int round = 0; round < 20 && limited == null; round++) {
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          answers.add(senders.submit(() -> get(key, JOBS + "?limit=1")));
        }
        for (Future<HttpResponse<String>> pending : answers) {
          HttpResponse<String> answer = pending.get();
          if (answer.statusCode() == 429) {
            limited = answer;
          } else {
            assertEquals(200, answer.statusCode());
          }
        }
      }
    } finally {
      senders.shutdownNow();
    }
    assertNotNull(limited, "no 429 within 1000 requests");
    assertTrue(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()) >= 1);
  }

  @Test
  void queuedQuotaIsEnforced() {
    // Nothing of this tenant may run, so its jobs stay queued.
    String tenant = tenant(0, 2);
    String key = key(tenant, "submitter").getString("key");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> ok = post(key, JOBS, shellJob("true"));
      assertEquals(201, ok.statusCode(), ok.body());
      ids.add(json(ok).getString("id"));
    }

    HttpResponse<String> third = post(key, JOBS, shellJob("true"));

    assertEquals(429, third.statusCode(), third.body());
    assertTrue(third.headers().firstValue("Retry-After").isPresent());
    ids.forEach(id -> post(key, JOBS + "/" + id + "/cancel", ""));
  }

  @Test
  void runningQuotaMakesATenantWaitWhileOthersRun() {
    String key = key(tenant(1, null), "submitter").getString("key");
    String first = json(post(key, JOBS, shellJob("sleep 3"))).getString("id");
    String second = json(post(key, JOBS, shellJob("true"))).getString("id");
    awaitState(first, Duration.ofSeconds(30), "RUNNING");
    String other = Api.submit(shellJob("true")).getString("id");

    JsonObject otherJob = awaitEnd(other);
    JsonObject firstJob = awaitEnd(first);
    JsonObject secondJob = awaitEnd(second);

    Instant firstEnded = Instant.parse(firstJob.getString("finishedAt"));
    assertTrue(
        !Instant.parse(Api.enteredAt(secondJob, "STARTING")).isBefore(firstEnded),
        "the tenant's second job waited for its first");
    assertTrue(
        Instant.parse(Api.enteredAt(otherJob, "STARTING")).isBefore(firstEnded),
        "another tenant's job did not wait");
  }

  @Test
  void sensitiveActionsAreAudited() {
    String tenant = tenant(null, null);
    JsonObject operator = key(tenant, "operator");
    JsonObject viewer = key(tenant, "viewer");
    String key = operator.getString("key");
    String id =
        json(post(key, JOBS, shellJob("echo x > /workspace/out/x.txt; sleep 30"))).getString("id");
    awaitState(id, Duration.ofSeconds(30), "RUNNING");
    post(key, JOBS + "/" + id + "/cancel", "");
    awaitEnd(id);
    assertEquals(409, post(key, JOBS + "/" + id + "/cancel", "").statusCode());
    assertEquals(403, post(viewer.getString("key"), JOBS + "/" + id + "/cancel", "").statusCode());
    int download = get(key, JOBS + "/" + id + "/output").statusCode();
    Api.send(HttpRequest.newBuilder(Api.uri("/api/v1/keys/" + operator.getString("id"))).DELETE());

    String byOperator = Api.get("/api/v1/audit?actor=" + operator.getString("id")).body();
    assertTrue(byOperator.contains("\"job.submit\""), byOperator);
    assertTrue(byOperator.contains("\"job.cancel\""), byOperator);
    assertTrue(byOperator.contains("\"job.output.download\""), byOperator);
    assertTrue(byOperator.contains(id));
    List<String> jobEntries =
        entries("/api/v1/audit?actor=" + operator.getString("id")).stream()
            .map(e -> e.getString("action") + " " + e.getString("target") + " " + outcomeOf(e))
            .toList();
    assertEquals(
        List.of(
            "job.output.download " + id + (download == 200 ? " ok" : " refused"),
            "job.cancel " + id + " refused",
            "job.cancel " + id + " ok",
            "job.submit " + id + " ok"),
        jobEntries,
        "newest first; the submission names the job it made");
    assertEquals(
        List.of(),
        entries("/api/v1/audit?actor=" + viewer.getString("id")),
        "a call its role forbids never reaches the action");
    List<JsonObject> recent = entries("/api/v1/audit?limit=50");
    assertTrue(
        recent.stream()
            .anyMatch(
                e ->
                    e.getString("action").equals("key.create")
                        && e.getString("target").equals(operator.getString("id"))
                        && outcomeOf(e).equals("ok")),
        "the creation names the key it made");
    JsonObject revocation =
        recent.stream()
            .filter(e -> e.getString("action").equals("key.revoke"))
            .filter(e -> e.getString("target").equals(operator.getString("id")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no revocation entry"));
    assertEquals("ok", revocation.getString("outcome"));
    assertFalse(
        revocation.getString("actor").equals(operator.getString("id")), "revoked by the admin");
    assertEquals("127.0.0.1", revocation.getString("clientAddress"));
    assertEquals(
        403,
        get(key(tenant(null, null), "operator").getString("key"), "/api/v1/audit").statusCode());
  }

  private static List<JsonObject> entries(String path) {
    return Json.createReader(new java.io.StringReader(Api.get(path).body()))
        .readArray()
        .getValuesAs(JsonObject.class);
  }

  private static String outcomeOf(JsonObject entry) {
    return entry.getString("outcome");
  }

  @Test
  void keysAreStoredOnlyAsHashes() throws Exception {
    String url = System.getProperty("stevedore.db.url");
    Assumptions.assumeTrue(
        url != null && url.startsWith("jdbc:postgresql:"),
        "read through PostgreSQL, the production store");
    String secret = key(tenant(null, null), "viewer").getString("key");
    try (Connection db =
            DriverManager.getConnection(
                url,
                System.getProperty("stevedore.db.user"),
                System.getProperty("stevedore.db.password"));
        ResultSet rows = db.createStatement().executeQuery("SELECT * FROM api_key")) {
      int columns = rows.getMetaData().getColumnCount();
      int seen = 0;
      while (rows.next()) {
        seen++;
        for (int c = 1; c <= columns; c++) {
          String value = rows.getString(c);
          assertFalse(
              value != null && value.contains(secret.substring(10)), "key in clear in column " + c);
          assertFalse(
              value != null && value.contains(Api.ADMIN_KEY.substring(10)), "admin key in clear");
        }
      }
      assertTrue(seen >= 2);
    }
  }

  @Test
  void secretsReachTheJobButNeverTheApiTheServerLogOrTheStoredLogs() throws Exception {
    String secret = "s3cr3t-" + UUID.randomUUID();
    String spec =
        Api.shellSpec("echo token=$API_TOKEN; echo done")
            .add("secrets", Json.createObjectBuilder().add("API_TOKEN", secret))
            .build()
            .toString();
    JsonObject submitted = Api.submit(spec);
    String id = submitted.getString("id");

    JsonObject ended = awaitEnd(id);

    assertEquals("SUCCEEDED", ended.getString("state"));
    assertFalse(submitted.toString().contains(secret));
    assertFalse(ended.toString().contains(secret));
    assertEquals(
        "***", ended.getJsonObject("spec").getJsonObject("secrets").getString("API_TOKEN"));
    String logs = Api.logs(id);
    assertEquals("token=***\ndone\n", logs);
    assertFalse(Api.get(JOBS + "?limit=500").body().contains(secret));
    Path serverLog =
        Path.of(
            System.getProperty("stevedore.wlp.dir"),
            "usr/servers",
            System.getProperty("stevedore.server.name"),
            "logs/messages.log");
    assertFalse(Files.readString(serverLog).contains(secret), "the secret is in the server log");
    assertFalse(
        Files.readString(serverLog).contains(Api.ADMIN_KEY), "the admin key is in the server log");
  }
}

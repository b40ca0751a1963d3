package it;

import static it.support.Api.awaitEnd;
import static it.support.Api.awaitState;
import static it.support.Api.get;
import static it.support.Api.json;
import static it.support.Api.newestJobId;
import static it.support.Api.post;
import static it.support.Api.shellJob;
import static it.support.Api.shellSpec;
import static it.support.Api.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Multipart;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Submission and the queue: strict spec types and sizes, unknown parameters and parts, the input
 * size cap, the listing's summary, quotas under parallel submissions, and tenants at their running
 * quota that must not hold back anyone else. The test server unpacks at most 4 MiB of inputs per
 * job and runs 2 jobs at once.
 */
class SubmissionValidationIT {

  private static final String JOBS = "/api/v1/jobs";
  private static final int UNPACKED_LIMIT = 4 * 1024 * 1024;

  static List<Arguments> badSpecs() {
    String esc = "\\u001b";
    String nul = "\\u0000";
    return List.of(
        Arguments.of("fractional priority", "\"priority\": 1.5", "priority"),
        Arguments.of("priority as a string", "\"priority\": \"50\"", "priority"),
        Arguments.of("timeout beyond an int", "\"timeoutSeconds\": 1e12", "timeoutSeconds"),
        Arguments.of(
            "memory as a fraction", "\"resources\": {\"memoryMb\": 64.5}", "resources.memoryMb"),
        Arguments.of("name as a number", "\"name\": 5", "name"),
        Arguments.of("env value as a number", "\"env\": {\"A\": 1}", "env[A]"),
        Arguments.of("command as a string", "\"command\": \"true\"", "command"),
        Arguments.of("NUL in an env value", "\"env\": {\"A\": \"x" + nul + "y\"}", "env[A]"),
        Arguments.of("ESC in an env value", "\"env\": {\"A\": \"x" + esc + "[31m\"}", "env[A]"),
        Arguments.of("NUL in a secret", "\"secrets\": {\"S\": \"x" + nul + "\"}", "secrets[S]"),
        Arguments.of(
            "ESC in a label value", "\"labels\": {\"k\": \"" + esc + "[2J\"}", "labels[k]"),
        Arguments.of("NUL in a label value", "\"labels\": {\"k\": \"a" + nul + "\"}", "labels[k]"),
        Arguments.of("tab in a label value", "\"labels\": {\"k\": \"a\\tb\"}", "labels[k]"),
        Arguments.of(
            "ESC in a label key", "\"labels\": {\"k" + esc + "\": \"v\"}", "labels[k\u001b]"),
        Arguments.of("control in a name", "\"name\": \"a" + esc + "b\"", "name"),
        Arguments.of("NUL in a command argument", "\"command\": [\"a" + nul + "\"]", "command[0]"),
        Arguments.of("unknown field", "\"memoryMB\": 64", "memoryMB"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSpecs")
  void badSpecIsRefusedNamingTheFieldAndCreatesNothing(String what, String field, String named) {
    String body = "{\"image\": \"stevedore/agent:latest\", " + field + "}";

    JsonObject problem = refusedWithNothingCreated(() -> post(JOBS, body), 400);

    assertNamed(problem, named);
  }

  @Test
  void imageAsANumberIsATypeError() {
    JsonObject problem =
        refusedWithNothingCreated(() -> post(JOBS, "{\"image\": 5, \"command\": [\"true\"]}"), 400);

    assertNamed(problem, "image");
  }

  @Test
  void multiLineEnvValuesAreAccepted() {
    String spec =
        shellSpec("printf '%s' \"$PEM\" | wc -l")
            .add("env", Json.createObjectBuilder().add("PEM", "line one\nline\ttwo\r\nend"))
            .build()
            .toString();

    assertEquals("SUCCEEDED", awaitEnd(submit(spec).getString("id")).getString("state"));
  }

  @Test
  void commandLongerThanTheCapIsRefused() {
    // 150,000 characters: under the spec's size cap, over the command's.
    String spec = shellSpec("true").add("command", arguments(3, 50_000)).build().toString();

    JsonObject problem = refusedWithNothingCreated(() -> post(JOBS, spec), 400);

    assertNamed(problem, "command");
  }

  @Test
  void specLargerThanTheCapIsRefusedWithoutReadingItAll() {
    // 9.6 MB of command: refused as a whole body above stevedore.jobs.max-spec-bytes.
    String spec = shellSpec("true").add("command", arguments(150, 64_000)).build().toString();

    JsonObject problem = refusedWithNothingCreated(() -> post(JOBS, spec), 413);

    assertNamed(problem, "spec");
  }

  @Test
  void zipBombIsRefusedWhileUnpacking() throws IOException {
    byte[] bomb = zip(Map.of("zeros.bin", UNPACKED_LIMIT + 1));
    assertTrue(bomb.length < 64 * 1024, "the bomb is small: " + bomb.length);

    JsonObject problem =
        refusedWithNothingCreated(
            () -> new Multipart().spec(shellJob("true")).zip(bomb).post(JOBS), 413);

    assertTrue(problem.getString("detail").contains("unpack"), problem.toString());
  }

  @Test
  void unpackedSizeCountsAllOfAJobsInputsTogether() throws IOException {
    // Each input below the cap, together above it; the upload itself stays under its own 1 MiB.
    int plain = 600 * 1024;
    int entry = (UNPACKED_LIMIT - plain) / 2 + 1024;
    byte[] zip = zip(Map.of("a.bin", entry, "b.bin", entry));

    JsonObject problem =
        refusedWithNothingCreated(
            () ->
                new Multipart()
                    .spec(shellJob("true"))
                    .file("c.bin", new byte[plain])
                    .zip(zip)
                    .post(JOBS),
            413);

    assertTrue(problem.getString("detail").contains("unpack"), problem.toString());
  }

  @Test
  void unknownMultipartPartIsRefusedNamingIt() {
    JsonObject problem =
        refusedWithNothingCreated(
            () ->
                new Multipart()
                    .spec(shellJob("true"))
                    .part("files", "a.txt", "text/plain", new byte[] {'a'})
                    .post(JOBS),
            400);

    assertNamed(problem, "files");
  }

  @Test
  void wrongTypeInAMultipartSpecIsRefused() {
    JsonObject problem =
        refusedWithNothingCreated(
            () ->
                new Multipart()
                    .spec("{\"image\": \"stevedore/agent:latest\", \"priority\": 2.5}")
                    .file("a.txt", new byte[] {'a'})
                    .post(JOBS),
            400);

    assertNamed(problem, "priority");
  }

  @Test
  void unknownQueryParametersAreRefusedNamingThem() {
    String id = submit(shellJob("true")).getString("id");

    assertNamed(ValidationIT.assertProblem(get(JOBS + "?stat=FAILED&limit=5"), 400), "stat");
    assertNamed(ValidationIT.assertProblem(get(JOBS + "/" + id + "?verbose=1"), 400), "verbose");
    assertNamed(ValidationIT.assertProblem(get("/api/v1/batches?limt=5"), 400), "limt");
    JsonObject twice = ValidationIT.assertProblem(get(JOBS + "?a=1&b=2"), 400);
    assertNamed(twice, "a");
    assertNamed(twice, "b");
    assertEquals(200, get(JOBS + "?state=FAILED&limit=5&view=full").statusCode());
  }

  @Test
  void listingsShowASummaryUnlessAskedForTheFullSpec() {
    String name = "summary-" + UUID.randomUUID().toString().substring(0, 8);
    String spec =
        shellSpec("echo secret-ish-command")
            .add("name", name)
            .add("env", Json.createObjectBuilder().add("A", "b"))
            .add("labels", Json.createObjectBuilder().add("team", "data"))
            .build()
            .toString();
    String id = submit(spec).getString("id");

    JsonObject summary = only(json(get(JOBS + "?name=" + name)), id).getJsonObject("spec");
    JsonObject full =
        only(json(get(JOBS + "?name=" + name + "&view=full")), id).getJsonObject("spec");

    assertFalse(summary.containsKey("command"), summary.toString());
    assertFalse(summary.containsKey("env"), summary.toString());
    assertEquals("data", summary.getJsonObject("labels").getString("team"));
    assertEquals(Api.AGENT_IMAGE, summary.getString("image"));
    assertEquals("b", full.getJsonObject("env").getString("A"));
    assertEquals(3, full.getJsonArray("command").size());
    assertEquals(3, Api.job(id).getJsonObject("spec").getJsonArray("command").size());
    ValidationIT.assertProblem(get(JOBS + "?view=everything"), 400);
  }

  @Test
  void namePrefixFindsJobsWhoseNameStartsWithItAndNameIsExact() {
    String run = "pfx" + UUID.randomUUID().toString().substring(0, 6);
    String a = submit(named(run + "_a")).getString("id");
    String b = submit(named(run + "_b")).getString("id");
    String other = submit(named(run + "x_a")).getString("id");

    List<String> prefixed = ids(json(get(JOBS + "?namePrefix=" + run + "_")));
    List<String> exact = ids(json(get(JOBS + "?name=" + run + "_a")));
    List<String> partial = ids(json(get(JOBS + "?name=" + run)));

    assertEquals(List.of(b, a), prefixed, "'_' is no wildcard: " + other + " is not listed");
    assertEquals(List.of(a), exact);
    assertEquals(List.of(), partial);
    assertNamed(ValidationIT.assertProblem(get(JOBS + "?namePrefix=a%25"), 400), "namePrefix");
  }

  @Test
  void parallelSubmissionsNeverExceedTheQueueQuota() throws Exception {
    for (int round = 0; round < 3; round++) {
      String tenant = tenant(0, 3);
      String key = key(tenant);

      List<HttpResponse<String>> answers =
          parallel(50, 16, i -> postAs(key, JOBS, shellJob("true")));

      long created = answers.stream().filter(r -> r.statusCode() == 201).count();
      long refused = answers.stream().filter(r -> r.statusCode() == 429).count();
      assertEquals(3, created, "round " + round + ": " + statuses(answers));
      assertEquals(47, refused, "round " + round + ": " + statuses(answers));
      List<String> queued = ids(json(Api.sendAs(key, HttpRequest.newBuilder(Api.uri(JOBS)))));
      assertEquals(3, queued.size());
      queued.forEach(id -> postAs(key, JOBS + "/" + id + "/cancel", ""));
    }
  }

  @Test
  void aTenantAtItsRunningQuotaDoesNotHoldBackOthers() throws Exception {
    String blocked = tenant(0, 2000);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      keys.add(key(blocked));
    }
    String highest = shellJob("true", 100);
    List<HttpResponse<String>> answers =
        parallel(1000, 16, i -> postAs(keys.get(i % keys.size()), JOBS, highest));
    assertTrue(answers.stream().allMatch(r -> r.statusCode() == 201), statuses(answers));
    String blockedJob = json(answers.get(0)).getString("id");
    try {
      String other = submit(shellJob("true", 0)).getString("id");

      JsonObject ended = awaitState(other, Duration.ofSeconds(20), "SUCCEEDED", "FAILED");

      assertEquals("SUCCEEDED", ended.getString("state"), ended.toString());
      JsonObject waiting = Api.job(blockedJob);
      assertEquals("QUEUED", waiting.getString("state"));
      assertTrue(
          waiting.getString("waitingReason").startsWith("tenant quota reached"),
          waiting.toString());
      assertFalse(waiting.containsKey("queuePosition"), waiting.toString());
    } finally {
      parallel(
          answers.size(),
          16,
          i ->
              postAs(
                  keys.get(i % keys.size()),
                  JOBS + "/" + json(answers.get(i)).getString("id") + "/cancel",
                  ""));
    }
  }

  @Test
  void aQueuedJobSaysWhyItWaitsAndWhereItStands() {
    // Other tests' jobs out of the way: queue positions count every job that may start.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ids(json(get(JOBS + "?state=QUEUED&state=STARTING&limit=500"))).isEmpty());
    // The test server runs two jobs at once: fill both slots (with jobs that end at once when
    // cancelled, so that they do not hold the slots through the stop's grace period).
    String blocker = "trap 'exit 0' TERM; sleep 30 & wait";
    List<String> blockers =
        List.of(
            submit(shellJob(blocker, 100)).getString("id"),
            submit(shellJob(blocker, 100)).getString("id"));
    try {
      blockers.forEach(id -> awaitState(id, Duration.ofSeconds(30), "RUNNING"));
      String first = submit(shellJob("true", 20)).getString("id");
      String second = submit(shellJob("true", 10)).getString("id");
      String before = submit(shellJob("true", 30)).getString("id");

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                JsonObject job = Api.job(second);
                assertEquals("QUEUED", job.getString("state"));
                assertTrue(
                    job.getString("waitingReason").startsWith("no free slot"), job.toString());
                assertEquals(2, job.getJsonNumber("queuePosition").longValue(), job.toString());
              });
      assertEquals(1, Api.job(first).getJsonNumber("queuePosition").longValue());
      assertEquals(0, Api.job(before).getJsonNumber("queuePosition").longValue());
      JsonObject listed = only(json(get(JOBS + "?state=QUEUED&limit=500")), second);
      assertFalse(listed.containsKey("waitingReason"), listed.toString());
      List.of(first, second, before).forEach(id -> post(JOBS + "/" + id + "/cancel", ""));
    } finally {
      blockers.forEach(id -> post(JOBS + "/" + id + "/cancel", ""));
    }
    JsonObject ended = awaitEnd(blockers.get(0));
    assertNull(ended.get("waitingReason"));
  }

  // --- helpers

  private interface Call {
    HttpResponse<String> send();
  }

  /** Sends the request, checks the problem, and that no job was created. */
  private static JsonObject refusedWithNothingCreated(Call call, int status) {
    String newestBefore = newestJobId();
    JsonObject problem = ValidationIT.assertProblem(call.send(), status);
    assertEquals(newestBefore, newestJobId(), "no job was created");
    return problem;
  }

  private static void assertNamed(JsonObject problem, String field) {
    assertTrue(
        problem.containsKey("errors")
            && problem.getJsonArray("errors").getValuesAs(JsonObject.class).stream()
                .anyMatch(e -> e.getString("field").equals(field)),
        "names " + field + ": " + problem);
  }

  private static jakarta.json.JsonArrayBuilder arguments(int count, int length) {
    var command = Json.createArrayBuilder();
    String argument = "x".repeat(length);
    for (int i = 0; i < count; i++) {
      command.add(argument);
    }
    return command;
  }

  private static String named(String name) {
    return shellSpec("true").add("name", name).add("priority", 0).build().toString();
  }

  private static JsonObject only(JsonObject page, String id) {
    return page.getJsonArray("items").getValuesAs(JsonObject.class).stream()
        .filter(j -> j.getString("id").equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError(id + " not listed: " + page));
  }

  private static List<String> ids(JsonObject page) {
    return page.getJsonArray("items").getValuesAs(JsonObject.class).stream()
        .map(j -> j.getString("id"))
        .toList();
  }

  private static String statuses(List<HttpResponse<String>> answers) {
    return answers.stream().map(r -> String.valueOf(r.statusCode())).toList().toString();
  }

  /** A zip whose entries hold that many zero bytes each: small, and large unpacked. */
  private static byte[] zip(Map<String, Integer> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
      for (Map.Entry<String, Integer> entry : entries.entrySet()) {
        out.putArchiveEntry(new ZipArchiveEntry(entry.getKey()));
        byte[] zeros = new byte[64 * 1024];
        for (int left = entry.getValue(); left > 0; left -= zeros.length) {
          out.write(zeros, 0, Math.min(left, zeros.length));
        }
        out.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static List<HttpResponse<String>> parallel(
      int count, int threads, Function<Integer, HttpResponse<String>> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(pool.submit(() -> call.apply(index)));
      }
      List<HttpResponse<String>> answers = new ArrayList<>();
      for (Future<HttpResponse<String>> future : futures) {
        answers.add(future.get());
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }

  private static HttpResponse<String> postAs(String key, String path, String json) {
    return Api.sendAs(
        key,
        HttpRequest.newBuilder(Api.uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** A new tenant with these quotas. */
  private static String tenant(int maxRunning, int maxQueued) {
    String id = "q-" + UUID.randomUUID().toString().substring(0, 8);
    String body =
        Json.createObjectBuilder()
            .add("id", id)
            .add("maxRunning", maxRunning)
            .add("maxQueued", maxQueued)
            .build()
            .toString();
    HttpResponse<String> made = post("/api/v1/tenants", body);
    assertEquals(201, made.statusCode(), made.body());
    return id;
  }

  /** A new submitter key of the tenant. */
  private static String key(String tenant) {
    String body =
        Json.createObjectBuilder()
            .add("name", "it-queue")
            .add("role", "SUBMITTER")
            .add("tenant", tenant)
            .build()
            .toString();
    HttpResponse<String> made = post("/api/v1/keys", body);
    assertEquals(201, made.statusCode(), made.body());
    return json(made).getString("key");
  }
}

package it;

import static it.support.Api.get;
import static it.support.Api.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Metrics;
import it.support.Multipart;
import it.support.Server;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** Batches on Jakarta Batch: parallel items, checkpoints, stop, restart, failures, a crash. */
class BatchesIT {

  private static final Duration LONG = Duration.ofMinutes(4);

  @Test
  void twentyItemsSucceedWithTheirOutputsAndProgressNeverGoesBack() throws IOException {
    double succeededBefore = batchItemsSucceeded();
    String id =
        submit(
            "echo \"$ITEM\" > /workspace/out/result.txt",
            20,
            i ->
                Json.createObjectBuilder()
                    .add("env", Json.createObjectBuilder().add("ITEM", "item-" + i)),
            4,
            2,
            0);

    List<Long> ended = new ArrayList<>();
    await()
        .atMost(LONG)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              JsonObject now = batch(id);
              JsonObject progress = now.getJsonObject("progress");
              ended.add(
                  progress.getJsonNumber("succeeded").longValue()
                      + progress.getJsonNumber("failed").longValue()
                      + progress.getJsonNumber("skipped").longValue());
              return now.getString("state").equals("COMPLETED");
            });
    for (int i = 1; i < ended.size(); i++) {
      assertTrue(ended.get(i) >= ended.get(i - 1), "progress went back: " + ended);
    }
    JsonObject done = batch(id);
    assertEquals(20, done.getJsonObject("progress").getInt("succeeded"));
    assertEquals(0, done.getJsonObject("progress").getInt("left"));
    for (JsonValue item : items(id)) {
      assertEquals("SUCCEEDED", item.asJsonObject().getString("state"));
      assertEquals(1, item.asJsonObject().getInt("runs"));
    }

    // Counted once each result commits (other test batches have ended: each test awaits its own).
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertEquals(succeededBefore + 20, batchItemsSucceeded()));

    Map<String, String> files = unzip(id);
    assertEquals(
        20,
        files.keySet().stream().map(f -> f.split("/")[0]).distinct().count(),
        "" + files.keySet());
    for (int i = 0; i < 20; i++) {
      assertEquals("item-" + i + "\n", files.get("item-" + i + "/result.txt"));
    }
  }

  /**
   * The counts go by the items' jobs, not by the chunk commits: with {@code checkpointEvery} above
   * the item count the writer records every success only at the very end, yet successes show as
   * their jobs end, and no more items than the parallelism ever count as running.
   */
  @Test
  void countsFollowTheItemJobsBeforeTheChunkCommits() {
    int items = 8;
    int parallelism = 2;
    String id = submit("sleep 1", items, i -> Json.createObjectBuilder(), parallelism, 100, 0);

    List<JsonObject> whileRunning = new ArrayList<>();
    List<JsonObject> tooMany = new ArrayList<>();
    await()
        .atMost(LONG)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              JsonObject now = batch(id);
              JsonObject progress = now.getJsonObject("progress");
              if (progress.getInt("running") > parallelism) {
                tooMany.add(progress);
              }
              if (!isOverState(now.getString("state"))) {
                whileRunning.add(progress);
              }
              return isOverState(now.getString("state"));
            });
    assertEquals(List.of(), tooMany, "more items running than the parallelism");

    JsonObject done = batch(id);
    assertEquals("COMPLETED", done.getString("state"));
    assertEquals(items, done.getJsonObject("progress").getInt("succeeded"));
    assertEquals(0, done.getJsonObject("progress").getInt("running"));
    assertTrue(
        whileRunning.stream()
            .mapToInt(p -> p.getInt("succeeded"))
            .anyMatch(s -> s > 0 && s < items),
        "successes showed while the batch ran: " + whileRunning);
    for (JsonValue item : items(id)) {
      assertEquals("SUCCEEDED", item.asJsonObject().getString("state"));
    }
  }

  @Test
  void multipartBatchGivesEachItemItsOwnFileAndRefusesUnsafeNames() throws IOException {
    String batch =
        Json.createObjectBuilder()
            .add("name", "it-files")
            .add("template", Api.shellSpec("cat /workspace/in/* > /workspace/out/copy.txt"))
            .add("parallelism", 2)
            .build()
            .toString();
    HttpResponse<String> created =
        new Multipart()
            .part("batch", null, "application/json", batch.getBytes(StandardCharsets.UTF_8))
            .part("item", "a.csv", "text/csv", "alpha\n".getBytes(StandardCharsets.UTF_8))
            .part("item", "b.csv", "text/csv", "beta\n".getBytes(StandardCharsets.UTF_8))
            .part("item", "c.csv", "text/csv", "gamma\n".getBytes(StandardCharsets.UTF_8))
            .post("/api/v1/batches");
    assertEquals(201, created.statusCode(), created.body());
    String id = Api.json(created).getString("id");
    await().atMost(LONG).until(() -> batch(id).getString("state").equals("COMPLETED"));
    Map<String, String> files = unzip(id);
    assertEquals("alpha\n", files.get("item-0/copy.txt"));
    assertEquals("beta\n", files.get("item-1/copy.txt"));
    assertEquals("gamma\n", files.get("item-2/copy.txt"));
    assertEquals("a.csv", items(id).getJsonObject(0).getString("input"));

    int before = batchCount();
    HttpResponse<String> refused =
        new Multipart()
            .part("batch", null, "application/json", batch.getBytes(StandardCharsets.UTF_8))
            .part("item", "../escape.csv", "text/csv", "x".getBytes(StandardCharsets.UTF_8))
            .post("/api/v1/batches");
    assertEquals(400, refused.statusCode(), refused.body());
    assertEquals(before, batchCount());
  }

  /**
   * A template's callback to a target the server may not call refuses the batch before any item's
   * file is written: no batch, and no batch directory left.
   */
  @Test
  void aRefusedCallbackTargetIsRefusedBeforeAnyItemFileIsWritten() throws IOException {
    String batch =
        Json.createObjectBuilder()
            .add("name", "it-refused-callback")
            .add("template", Api.shellSpecCalling("true", Api.forbiddenCallback()))
            .build()
            .toString();
    int before = batchCount();
    List<Path> directories = batchDirectories();

    HttpResponse<String> refused =
        new Multipart()
            .part("batch", null, "application/json", batch.getBytes(StandardCharsets.UTF_8))
            .part("item", "a.csv", "text/csv", "alpha\n".getBytes(StandardCharsets.UTF_8))
            .part("item", "b.csv", "text/csv", "beta\n".getBytes(StandardCharsets.UTF_8))
            .post("/api/v1/batches");

    assertEquals(400, refused.statusCode(), refused.body());
    JsonObject problem = Api.json(refused);
    assertEquals(
        "template.callbacks[0].url",
        problem.getJsonArray("errors").getJsonObject(0).getString("field"),
        problem.toString());
    assertEquals(before, batchCount(), "no batch was created");
    assertEquals(directories, batchDirectories(), "no batch directory was left");
  }

  private static List<Path> batchDirectories() throws IOException {
    Path batches =
        Path.of(System.getProperty("stevedore.data.dir", "target/it-data")).resolve("batches");
    if (!Files.isDirectory(batches)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(batches)) {
      return dirs.sorted().toList();
    }
  }

  @Test
  void stoppedHalfWayAndRestartedItRunsNoFinishedItemAgain() {
    String id = submit("sleep 2", 20, i -> Json.createObjectBuilder(), 4, 2, 0);
    await().atMost(LONG).until(() -> batch(id).getJsonObject("progress").getInt("succeeded") >= 6);

    assertEquals(200, post("/api/v1/batches/" + id + "/stop", "").statusCode());
    await().atMost(LONG).until(() -> batch(id).getString("state").equals("STOPPED"));
    JsonObject stopped = batch(id);
    int succeededAtStop = stopped.getJsonObject("progress").getInt("succeeded");
    assertTrue(succeededAtStop < 20, "stopped half-way: " + stopped);
    long inFlightAtStop =
        itemJobs(id).stream().filter(j -> j.getString("state").equals("CANCELLED")).count();

    var restart = post("/api/v1/batches/" + id + "/restart", "");
    assertEquals(200, restart.statusCode(), restart.body());
    await().atMost(LONG).until(() -> batch(id).getString("state").equals("COMPLETED"));

    JsonObject done = batch(id);
    assertEquals(20, done.getJsonObject("progress").getInt("succeeded"));
    assertEquals(2, done.getJsonArray("executions").size());
    List<JsonObject> runs = itemJobs(id);
    assertTrue(
        runs.size() <= 20 + inFlightAtStop,
        runs.size() + " item jobs for 20 items with " + inFlightAtStop + " in flight at the stop");
    assertEquals(20, runs.stream().filter(j -> j.getString("state").equals("SUCCEEDED")).count());
  }

  @Test
  void failuresBeyondTheLimitFailTheBatchAndBelowItAreSkipped() {
    Set<Integer> failing = Set.of(1, 3, 4);
    IntFunction<jakarta.json.JsonObjectBuilder> item =
        i ->
            Json.createObjectBuilder()
                .add(
                    "env", Json.createObjectBuilder().add("FAIL", failing.contains(i) ? "1" : "0"));
    String script = "[ \"$FAIL\" = 1 ] && exit 7; exit 0";

    String tolerant = submit(script, 6, item, 2, 1, 3);
    await().atMost(LONG).until(() -> isOver(tolerant));
    JsonObject completed = batch(tolerant);
    assertEquals("COMPLETED", completed.getString("state"));
    assertEquals(3, completed.getJsonObject("progress").getInt("succeeded"));
    assertEquals(3, completed.getJsonObject("progress").getInt("skipped"));
    for (JsonValue value : items(tolerant)) {
      JsonObject entry = value.asJsonObject();
      boolean fails = failing.contains(entry.getInt("index"));
      assertEquals(fails ? "SKIPPED" : "SUCCEEDED", entry.getString("state"), entry.toString());
      assertEquals(fails ? 7 : 0, entry.getInt("exitCode"));
    }

    String strict = submit(script, 6, item, 2, 1, 1);
    await().atMost(LONG).until(() -> isOver(strict));
    JsonObject failed = batch(strict);
    assertEquals("FAILED", failed.getString("state"));
    JsonObject progress = failed.getJsonObject("progress");
    // One failure is passed over; the next fails the batch (with partitions failing at once,
    // more than one may land past the limit), and no further item is started.
    assertEquals(1, progress.getInt("skipped"), failed.toString());
    assertTrue(progress.getInt("failed") >= 1, failed.toString());
    JsonArray failedItems = items(strict, "?state=FAILED");
    assertEquals(progress.getInt("failed"), failedItems.size());
    for (JsonValue value : failedItems) {
      assertTrue(failing.contains(value.asJsonObject().getInt("index")), value.toString());
      assertEquals(7, value.asJsonObject().getInt("exitCode"));
    }
  }

  @Test
  void restartIsRefusedWhileAnExecutionRuns() {
    String id = submit("sleep 3", 4, i -> Json.createObjectBuilder(), 2, 1, 0);
    // Refused for its state, not because the batch has no execution yet.
    await().atMost(LONG).until(() -> batch(id).getString("state").equals("STARTED"));
    var refused = post("/api/v1/batches/" + id + "/restart", "");
    assertEquals(409, refused.statusCode(), refused.body());
    assertTrue(
        refused
            .headers()
            .firstValue("Content-Type")
            .orElse("")
            .startsWith("application/problem+json"));
    assertEquals(1, batch(id).getJsonArray("executions").size());
    await().atMost(LONG).until(() -> batch(id).getString("state").equals("COMPLETED"));
  }

  @Test
  void killedServerMidBatchThenRestartedBatchCompletesWithOneSuccessPerItem() {
    String id = submit("sleep 2", 12, i -> Json.createObjectBuilder(), 3, 2, 0);
    await().atMost(LONG).until(() -> batch(id).getJsonObject("progress").getInt("succeeded") >= 3);
    Server.kill();
    Server.start();

    await()
        .atMost(LONG)
        .until(() -> Set.of("FAILED", "STOPPED").contains(batch(id).getString("state")));
    var restart = post("/api/v1/batches/" + id + "/restart", "");
    assertEquals(200, restart.statusCode(), restart.body());
    await().atMost(LONG).until(() -> isOver(id));

    assertEquals("COMPLETED", batch(id).getString("state"));
    Map<String, Integer> successes = new TreeMap<>();
    for (JsonObject job : itemJobs(id)) {
      if (job.getString("state").equals("SUCCEEDED")) {
        successes.merge(job.getString("name"), 1, Integer::sum); // it-batch-item-<index>
      }
    }
    assertEquals(12, successes.size(), "" + successes);
    successes.forEach((item, count) -> assertEquals(1, count, "successes of item " + item));
    for (JsonValue item : items(id)) {
      assertEquals("SUCCEEDED", item.asJsonObject().getString("state"));
    }
  }

  private static double batchItemsSucceeded() {
    return Metrics.read().getOrDefault("stevedore_batch_items_total{state=SUCCEEDED}", 0.0);
  }

  private static boolean isOver(String id) {
    return isOverState(batch(id).getString("state"));
  }

  private static boolean isOverState(String state) {
    return Set.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED").contains(state);
  }

  /** Submits a batch of {@code count} items running {@code sh -c script}; returns its id. */
  private static String submit(
      String script,
      int count,
      IntFunction<jakarta.json.JsonObjectBuilder> item,
      int parallelism,
      int checkpointEvery,
      int maxFailedItems) {
    JsonArrayBuilder items = Json.createArrayBuilder();
    for (int i = 0; i < count; i++) {
      items.add(item.apply(i));
    }
    String body =
        Json.createObjectBuilder()
            .add("name", "it-batch")
            .add("template", Api.shellSpec(script).add("timeoutSeconds", 120))
            .add("items", items)
            .add("parallelism", parallelism)
            .add("checkpointEvery", checkpointEvery)
            .add("maxFailedItems", maxFailedItems)
            .build()
            .toString();
    HttpResponse<String> response = post("/api/v1/batches", body);
    assertEquals(201, response.statusCode(), response.body());
    assertTrue(response.headers().firstValue("Location").orElse("").contains("/api/v1/batches/"));
    return Api.json(response).getString("id");
  }

  private static JsonObject batch(String id) {
    HttpResponse<String> response = get("/api/v1/batches/" + id);
    assertEquals(200, response.statusCode(), response.body());
    return Api.json(response);
  }

  private static int batchCount() {
    HttpResponse<String> response = get("/api/v1/batches?limit=100");
    assertEquals(200, response.statusCode(), response.body());
    return Json.createReader(new java.io.StringReader(response.body())).readArray().size();
  }

  private static JsonArray items(String id) {
    return items(id, "");
  }

  private static JsonArray items(String id, String query) {
    HttpResponse<String> response = get("/api/v1/batches/" + id + "/items" + query);
    assertEquals(200, response.statusCode(), response.body());
    return Json.createReader(new java.io.StringReader(response.body())).readArray();
  }

  /** Every job the batch started for its items. */
  private static List<JsonObject> itemJobs(String id) {
    HttpResponse<String> response = get("/api/v1/jobs?limit=500&label=stevedore.batch=" + id);
    assertEquals(200, response.statusCode(), response.body());
    return Api.json(response).getJsonArray("items").stream().map(JsonValue::asJsonObject).toList();
  }

  private static Map<String, String> unzip(String id) throws IOException {
    HttpResponse<byte[]> response =
        Api.sendBytes(HttpRequest.newBuilder(Api.uri("/api/v1/batches/" + id + "/output")));
    assertEquals(200, response.statusCode());
    Map<String, String> files = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(response.body()))) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        if (!entry.isDirectory()) {
          files.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    }
    return files;
  }
}

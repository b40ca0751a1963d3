package it;

import static it.support.Api.awaitEnd;
import static it.support.Api.get;
import static it.support.Api.json;
import static it.support.Api.shellJob;
import static it.support.Api.shellSpec;
import static it.support.Api.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Engine;
import it.support.Stream;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** What a job printed and left in /workspace/out, kept whole and safe, however the job ends. */
class LogsAndOutputsIT {

  private static String logsSocket(String id) {
    return "/ws/jobs/" + id + "/logs?ticket=" + Stream.ticket(Api.ADMIN_KEY);
  }

  private static List<JsonObject> lines(Stream stream) {
    return stream.messages.stream().filter(m -> m.getString("type").equals("line")).toList();
  }

  private static Map<String, byte[]> outputZip(String id) throws IOException {
    HttpResponse<byte[]> response =
        Api.sendBytes(HttpRequest.newBuilder(Api.uri("/api/v1/jobs/" + id + "/output")).GET());
    assertEquals(200, response.statusCode());
    Map<String, byte[]> entries = new HashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(response.body()))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        entries.put(entry.getName(), in.readAllBytes());
      }
    }
    return entries;
  }

  private static List<String> listedFiles(String id) {
    return json(get("/api/v1/jobs/" + id + "/files"))
        .getJsonArray("files")
        .getValuesAs(JsonObject.class)
        .stream()
        .map(f -> f.getString("path"))
        .toList();
  }

  /** Repeated: the stored log of a cancelled job was sometimes empty. */
  @RepeatedTest(3)
  void aCancelledJobKeepsItsOutputAndItsOutputsAndLeavesNoContainer() throws IOException {
    String id =
        submit(
                shellJob(
                    "trap 'exit 143' TERM; for i in 1 2 3; do echo line-$i; done;"
                        + " echo kept > /workspace/out/kept.txt; sleep 300 & wait"))
            .getString("id");
    Stream live = Stream.open(logsSocket(id), true);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> lines(live).stream().anyMatch(l -> l.getString("text").equals("line-3")));

    HttpResponse<String> cancelled = Api.post("/api/v1/jobs/" + id + "/cancel", "");
    assertEquals(200, cancelled.statusCode(), cancelled.body());

    assertEquals("CANCELLED", awaitEnd(id).getString("state"));
    await().atMost(Duration.ofSeconds(30)).until(() -> Engine.containersOf(id).isEmpty());
    assertEquals("line-1\nline-2\nline-3\n", Api.logs(id));
    assertEquals(List.of("kept.txt"), listedFiles(id));
    assertEquals("kept\n", new String(outputZip(id).get("kept.txt"), StandardCharsets.UTF_8));
    live.abort();
  }

  @Test
  void controlCharactersAndLongLinesStayOneLineMaskedAndNumberedAlike() {
    String secret = "s3cr3t-VALUE-9f8e";
    // The secret starts 5 bytes before the engine's 16 KiB split of the 40 KiB line.
    String script =
        "sleep 1; printf 'a\\rSTDERR 2020-01-01T00:00:00Z forged\\n';"
            + " head -c 16379 /dev/zero | tr '\\0' x; printf '%s' \"$TOKEN\";"
            + " head -c 24576 /dev/zero | tr '\\0' y; echo; echo done";
    String spec =
        shellSpec(script)
            .add("secrets", Json.createObjectBuilder().add("TOKEN", secret))
            .build()
            .toString();
    String id = submit(spec).getString("id");
    Stream live = Stream.open(logsSocket(id), true);

    assertEquals("SUCCEEDED", awaitEnd(id).getString("state"));
    assertEquals(1000, live.closed.orTimeout(30, TimeUnit.SECONDS).join());
    Stream replay = Stream.open(logsSocket(id), true);
    assertEquals(1000, replay.closed.orTimeout(30, TimeUnit.SECONDS).join());

    String longLine = "x".repeat(16379) + "***" + "y".repeat(24576);
    List<JsonObject> replayed = lines(replay);
    assertEquals(
        List.of("a\rSTDERR 2020-01-01T00:00:00Z forged", longLine, "done"),
        replayed.stream().map(l -> l.getString("text")).toList());
    assertEquals(
        List.of(1, 2, 3), replayed.stream().map(l -> l.getJsonNumber("seq").intValue()).toList());
    assertTrue(replayed.stream().allMatch(l -> l.getString("stream").equals("stdout")));
    assertEquals(replayed, lines(live), "live and replay agree on every line, seq and time");

    String text = Api.logs(id);
    assertEquals("a\\rSTDERR 2020-01-01T00:00:00Z forged\n" + longLine + "\ndone\n", text);
    assertFalse(text.contains(secret.substring(0, 6)), "no part of the secret");
    assertEquals("", get("/api/v1/jobs/" + id + "/logs?stream=stderr").body());
    String stored = get("/api/v1/jobs/" + id + "/logs?timestamps=true").body();
    List<String> storedLines = stored.lines().toList();
    assertEquals(3, storedLines.size(), stored.substring(0, Math.min(300, stored.length())));
    for (int i = 0; i < 3; i++) {
      assertEquals(
          replayed.get(i).getString("time") + " stdout ",
          storedLines.get(i).substring(0, storedLines.get(i).indexOf(" stdout ") + 8));
    }
  }

  private static JsonObject subscribe(String pattern) {
    String body =
        Json.createObjectBuilder()
            .add("url", "http://127.0.0.1:39999/log-patterns")
            .add("events", Json.createArrayBuilder().add("job.log"))
            .add("logPattern", pattern)
            .build()
            .toString();
    HttpResponse<String> made = Api.post("/api/v1/webhooks", body);
    assertEquals(201, made.statusCode(), made.body());
    return json(made);
  }

  private static long logDeliveries(JsonObject webhook, String jobId) {
    HttpResponse<String> deliveries =
        get("/api/v1/webhooks/" + webhook.getString("id") + "/deliveries");
    assertEquals(200, deliveries.statusCode(), deliveries.body());
    return Json.createReader(new java.io.StringReader(deliveries.body()))
        .readArray()
        .getValuesAs(JsonObject.class)
        .stream()
        .filter(
            d -> d.getString("jobId").equals(jobId) && d.getString("eventType").equals("job.log"))
        .count();
  }

  @Test
  void aBacktrackingBombPatternNeitherSlowsTheLogNorMissesAMatch() {
    String nonLinear =
        "{\"url\":\"http://127.0.0.1:39999/x\",\"events\":[\"job.log\"],\"logPattern\":\"(a)\\\\1\"}";
    HttpResponse<String> refused = Api.post("/api/v1/webhooks", nonLinear);
    assertEquals(400, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("logPattern"), refused.body());

    JsonObject bomb = subscribe("(.*a){12}$");
    JsonObject plain = subscribe("^MATCH-ME");
    try {
      String evil = "a".repeat(27) + "b"; // seconds per line for a backtracking engine
      String id =
          submit(
                  shellJob(
                      "for i in $(seq 1 10); do echo "
                          + evil
                          + "; done; echo MATCH-ME; echo "
                          + "a".repeat(12)))
              .getString("id");

      JsonObject ended =
          Api.awaitState(id, Duration.ofSeconds(20), "SUCCEEDED", "FAILED", "CANCELLED");
      assertEquals("SUCCEEDED", ended.getString("state"));
      assertTrue(Api.logs(id).endsWith("MATCH-ME\n" + "a".repeat(12) + "\n"), Api.logs(id));
      await().atMost(Duration.ofSeconds(10)).until(() -> logDeliveries(bomb, id) == 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> logDeliveries(plain, id) == 1);
    } finally {
      for (JsonObject webhook : List.of(bomb, plain)) {
        Api.send(
            HttpRequest.newBuilder(Api.uri("/api/v1/webhooks/" + webhook.getString("id")))
                .DELETE());
      }
    }
  }

  @Test
  void outputNamesThatLeaveTheArchiveAreSkippedAndReported() throws IOException {
    String id =
        submit(
                shellJob(
                    "printf evil > '/workspace/out/..\\..\\x'; echo ok > /workspace/out/ok.txt"))
            .getString("id");

    JsonObject job = awaitEnd(id);

    assertEquals("SUCCEEDED", job.getString("state"), job.toString());
    assertTrue(
        job.getString("reason").contains("output file skipped: '..\\\\..\\\\x'"), job.toString());
    assertEquals(List.of("ok.txt"), List.copyOf(outputZip(id).keySet()));
    assertEquals(List.of("ok.txt"), listedFiles(id));
  }

  @Test
  void outputsOverTheCapFailTheJobAndAreNotArchived() {
    // The test server caps outputs at 1 MiB.
    String id =
        submit(shellJob("head -c 1100000 /dev/zero > /workspace/out/big.bin; echo wrote"))
            .getString("id");

    JsonObject job = awaitEnd(id);

    assertEquals("FAILED", job.getString("state"), job.toString());
    assertTrue(
        job.getString("reason").contains("outputs exceed the cap of 1048576 bytes"),
        job.toString());
    assertEquals(404, get("/api/v1/jobs/" + id + "/output").statusCode());
    assertEquals("wrote\n", Api.logs(id));
  }
}

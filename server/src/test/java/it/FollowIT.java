package it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Following a job over plain HTTP: lines come as they are written and the answer ends with the job,
 * for many followers at once, one of whom reads nothing for a while; and waiting for a job's end
 * with {@code ?wait=}.
 */
class FollowIT {

  private static final String SCRIPT =
      "for i in $(seq 1 30); do echo line-$i; if [ $i = 10 ]; then sleep 2; fi; done";

  @Test
  void linesComeAsTheyAreWrittenAndTheAnswerEndsWithTheJob() throws Exception {
    String id = Api.submit(Api.shellJob("echo first; sleep 3; echo last >&2")).getString("id");
    long start = System.nanoTime();
    HttpResponse<java.util.stream.Stream<String>> followed =
        Api.send(
            HttpRequest.newBuilder(Api.uri("/api/v1/jobs/" + id + "/logs?follow=true"))
                .timeout(Duration.ofSeconds(60)),
            HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, followed.statusCode());
    List<String> lines = new ArrayList<>();
    List<Long> at = new ArrayList<>();
    followed
        .body()
        .forEach(
            line -> {
              lines.add(line);
              at.add((System.nanoTime() - start) / 1_000_000);
            });
    assertEquals(List.of("first", "last"), lines);
    assertTrue(at.get(1) - at.get(0) >= 2_000, "the first line came before the last: " + at);
    assertEquals("SUCCEEDED", Api.state(id), "the answer ended with the job");
  }

  @Test
  void manyFollowersGetEveryLineAndASlowOneHoldsUpNoOne() throws Exception {
    String id = Api.submit(Api.shellJob(SCRIPT)).getString("id");
    List<CompletableFuture<List<String>>> readers = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      readers.add(
          CompletableFuture.supplyAsync(
              () ->
                  Api.send(
                          HttpRequest.newBuilder(
                                  Api.uri("/api/v1/jobs/" + id + "/logs?follow=true"))
                              .timeout(Duration.ofSeconds(60)),
                          HttpResponse.BodyHandlers.ofLines())
                      .body()
                      .collect(Collectors.toList())));
    }
    // The slow one opens its answer and reads nothing until the others are done.
    HttpResponse<InputStream> slow =
        Api.send(
            HttpRequest.newBuilder(Api.uri("/api/v1/jobs/" + id + "/logs?follow=true"))
                .timeout(Duration.ofSeconds(90)),
            HttpResponse.BodyHandlers.ofInputStream());
    List<String> expected = IntStream.rangeClosed(1, 30).mapToObj(i -> "line-" + i).toList();
    for (CompletableFuture<List<String>> reader : readers) {
      assertEquals(expected, reader.get(60, java.util.concurrent.TimeUnit.SECONDS));
    }
    String late;
    try (InputStream in = slow.body()) {
      late = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertEquals(expected, late.lines().toList());
  }

  /**
   * A follower that reads nothing while 12,000 lines are written (within the test server's log cap)
   * gets every line once and in order when it reads at last: lines past its bounded queue come
   * again from the stored log.
   */
  @Test
  void aFollowerThatReadsNothingUntilTheEndGetsEveryLineOnceInOrder() throws Exception {
    String id = Api.submit(Api.shellJob("seq 1 12000")).getString("id");
    HttpResponse<InputStream> slow =
        Api.send(
            HttpRequest.newBuilder(Api.uri("/api/v1/jobs/" + id + "/logs?follow=true")),
            HttpResponse.BodyHandlers.ofInputStream());
    Api.awaitEnd(id);
    List<String> lines;
    try (InputStream in = slow.body()) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    String stored = Api.get("/api/v1/jobs/" + id + "/logs").body();
    assertEquals(
        12_000,
        lines.size(),
        "stored "
            + stored.lines().count()
            + ", followed up to "
            + (lines.isEmpty() ? "-" : lines.get(lines.size() - 1)));
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(String.valueOf(i + 1), lines.get(i));
    }
  }

  @Test
  void serverSentEventsEndWithTheJobsEnd() {
    String id = Api.submit(Api.shellJob("echo one; echo two; exit 3")).getString("id");
    HttpResponse<String> events =
        Api.send(
            HttpRequest.newBuilder(Api.uri("/api/v1/jobs/" + id + "/logs?follow=true"))
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(60)),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, events.statusCode());
    assertTrue(
        events.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    String body = events.body();
    assertTrue(body.contains("event: line\nid: 1-1\ndata: one\n\n"), body);
    assertTrue(body.contains("data: two"), body);
    assertTrue(body.endsWith("event: end\ndata: {\"state\":\"FAILED\",\"exitCode\":3}\n\n"), body);
  }

  @Test
  void waitAnswersWhenTheJobEndsOrTheWaitHasPassed() {
    String quick = Api.submit(Api.shellJob("sleep 1")).getString("id");
    long start = System.nanoTime();
    HttpResponse<String> ended = Api.get("/api/v1/jobs/" + quick + "?wait=30s");
    long took = (System.nanoTime() - start) / 1_000_000;
    assertEquals(200, ended.statusCode(), ended.body());
    assertEquals("SUCCEEDED", Api.json(ended).getString("state"));
    assertTrue(took < 20_000, "answered at the end, not after the whole wait: " + took);

    String slow = Api.submit(Api.shellJob("sleep 30")).getString("id");
    try {
      long before = System.nanoTime();
      HttpResponse<String> waited = Api.get("/api/v1/jobs/" + slow + "?wait=1500ms");
      long waitedMs = (System.nanoTime() - before) / 1_000_000;
      assertEquals(200, waited.statusCode(), waited.body());
      assertTrue(Api.FINAL_STATES.stream().noneMatch(Api.json(waited).getString("state")::equals));
      assertTrue(waitedMs >= 1_400 && waitedMs < 10_000, "waited " + waitedMs + " ms");
      for (String bad : List.of("forever", "61s", "2m", "-1")) {
        HttpResponse<String> refused = Api.get("/api/v1/jobs/" + slow + "?wait=" + bad);
        assertEquals(400, refused.statusCode(), bad + ": " + refused.body());
      }
    } finally {
      Api.send(
          HttpRequest.newBuilder(Api.uri("/api/v1/jobs/" + slow + "/cancel"))
              .POST(HttpRequest.BodyPublishers.noBody()));
    }
  }
}

package it;

import static it.support.Api.awaitEnd;
import static it.support.Api.awaitState;
import static it.support.Api.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.core.InvocationBuilder;
import it.support.Api;
import it.support.Engine;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deadlines, memory and process limits, and retries. */
class LimitsIT {

  private static JsonObjectBuilder job(String script) {
    return Api.shellSpec(script);
  }

  @Test
  void jobPastItsDeadlineIsTimedOutAndItsContainerRemoved() {
    Instant submitted = Instant.now();
    String id =
        submit(job("echo started; sleep 60").add("timeoutSeconds", 2).build().toString())
            .getString("id");

    JsonObject ended = awaitEnd(id);

    assertEquals("TIMED_OUT", ended.getString("state"), ended.toString());
    Duration took = Duration.between(submitted, Instant.parse(ended.getString("finishedAt")));
    // 2 s deadline + 3 s grace (the test server's) + start and stop
    assertTrue(took.compareTo(Duration.ofSeconds(12)) < 0, "ended after " + took);
    assertTrue(Api.logs(id).contains("started"));
    await().atMost(Duration.ofSeconds(15)).until(() -> Engine.containersOf(id).isEmpty());
  }

  @Test
  void memoryHogEndsFailedOomKilled() {
    String spec =
        job("tail /dev/zero")
            .add("resources", Json.createObjectBuilder().add("memoryMb", 16))
            .build()
            .toString();
    String id = submit(spec).getString("id");

    JsonObject ended = awaitEnd(id);

    assertEquals("FAILED", ended.getString("state"), ended.toString());
    assertEquals("OOMKilled", ended.getString("reason"));
  }

  @Test
  void forkBombIsBoundedByThePidsLimitAndTheJobEnds() {
    String spec =
        // exec: the shell becomes the sleep without a fork, which the exhausted pids would refuse
        job("bomb() { bomb | bomb & }; bomb; exec sleep 60")
            .add("resources", Json.createObjectBuilder().add("pids", 32))
            .add("timeoutSeconds", 6)
            .build()
            .toString();
    String id = submit(spec).getString("id");
    awaitState(id, Duration.ofSeconds(30), "RUNNING");

    Statistics stats =
        Engine.docker()
            .statsCmd("stevedore-" + id + "-1")
            .withNoStream(true)
            .exec(new InvocationBuilder.AsyncResultCallback<>())
            .awaitResult();
    JsonObject ended = awaitEnd(id);

    assertTrue(
        stats.getPidsStats().getCurrent() <= 32, "pids: " + stats.getPidsStats().getCurrent());
    assertEquals("TIMED_OUT", ended.getString("state"), ended.toString());
    await().atMost(Duration.ofSeconds(15)).until(() -> Engine.containersOf(id).isEmpty());
  }

  @Test
  void outputBeyondTheLogCapIsDroppedBehindAVisibleMarker() {
    // The test server keeps at most 64 KiB per attempt; this writes about 200 KiB.
    String id = submit(job("seq 1 30000; echo last-line").build().toString()).getString("id");

    assertEquals("SUCCEEDED", awaitEnd(id).getString("state"));
    String output = Api.logs(id);
    assertTrue(output.startsWith("1\n2\n3\n"), output.substring(0, 20));
    assertTrue(output.endsWith("output truncated: the job wrote more than 65536 bytes\n"));
    assertTrue(!output.contains("last-line"));
    assertTrue(output.length() < 70_000, "length " + output.length());
  }

  @Test
  void failingTwiceThenSucceedingWithThreeAttemptsAllowed() {
    String spec =
        job("echo attempt $STEVEDORE_ATTEMPT; [ \"$STEVEDORE_ATTEMPT\" -ge 3 ] || exit 75")
            .add(
                "retry",
                Json.createObjectBuilder()
                    .add("maxAttempts", 3)
                    .add("backoffSeconds", 1)
                    .add("onExitCodes", Json.createArrayBuilder().add(75)))
            .build()
            .toString();
    String id = submit(spec).getString("id");

    JsonObject ended =
        Api.awaitState(id, Duration.ofSeconds(60), "SUCCEEDED", "FAILED", "CANCELLED");

    assertEquals("SUCCEEDED", ended.getString("state"), ended.toString());
    assertEquals(3, ended.getInt("attempt"));
    List<JsonObject> history = ended.getJsonArray("history").getValuesAs(JsonObject.class);
    List<JsonObject> failures =
        history.stream().filter(h -> h.getString("to").equals("FAILED")).toList();
    assertEquals(2, failures.size(), history.toString());
    for (JsonObject failure : failures) {
      assertEquals(75, failure.getInt("exitCode"));
    }
    // Backoff: 1 s after the first failure, 2 s after the second.
    Instant firstFailed = Instant.parse(failures.get(0).getString("at"));
    Instant secondFailed = Instant.parse(failures.get(1).getString("at"));
    Instant secondStarted = startOfAttempt(history, 2);
    Instant thirdStarted = startOfAttempt(history, 3);
    assertTrue(!secondStarted.isBefore(firstFailed.plusSeconds(1)), history.toString());
    assertTrue(!thirdStarted.isBefore(secondFailed.plusSeconds(2)), history.toString());
    for (int attempt = 1; attempt <= 3; attempt++) {
      String output = Api.get("/api/v1/jobs/" + id + "/logs?attempt=" + attempt).body();
      assertEquals("attempt " + attempt + "\n", output);
    }
  }

  @Test
  void retriesWithoutBackoffRunEachAttemptOnce() {
    String spec =
        job("echo attempt $STEVEDORE_ATTEMPT; sleep 1; [ \"$STEVEDORE_ATTEMPT\" -ge 3 ] || exit 9")
            .add("retry", Json.createObjectBuilder().add("maxAttempts", 3))
            .build()
            .toString();
    String id = submit(spec).getString("id");

    JsonObject ended =
        Api.awaitState(id, Duration.ofSeconds(60), "SUCCEEDED", "FAILED", "CANCELLED");

    assertEquals("SUCCEEDED", ended.getString("state"), ended.toString());
    List<String> states =
        ended.getJsonArray("history").getValuesAs(JsonObject.class).stream()
            .map(h -> h.getInt("attempt") + ":" + h.getString("to"))
            .toList();
    assertEquals(
        List.of(
            "1:QUEUED",
            "1:STARTING",
            "1:RUNNING",
            "1:FAILED",
            "2:QUEUED",
            "2:STARTING",
            "2:RUNNING",
            "2:FAILED",
            "3:QUEUED",
            "3:STARTING",
            "3:RUNNING",
            "3:SUCCEEDED"),
        states);
    for (int attempt = 1; attempt <= 3; attempt++) {
      assertEquals(
          "attempt " + attempt + "\n",
          Api.get("/api/v1/jobs/" + id + "/logs?attempt=" + attempt).body());
    }
  }

  private static Instant startOfAttempt(List<JsonObject> history, int attempt) {
    return history.stream()
        .filter(h -> h.getString("to").equals("STARTING") && h.getInt("attempt") == attempt)
        .map(h -> Instant.parse(h.getString("at")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("attempt " + attempt + " never started: " + history));
  }
}

package it;

import static it.support.Api.awaitEnd;
import static it.support.Api.awaitState;
import static it.support.Api.enteredAt;
import static it.support.Api.history;
import static it.support.Api.post;
import static it.support.Api.shellJob;
import static it.support.Api.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Engine;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's rules, checked against the Docker engine. The server under test runs at most
 * {@code stevedore.max.concurrent} (2) jobs at once.
 */
class DispatchIT {

  private static final int LIMIT = Integer.getInteger("stevedore.max.concurrent", 2);

  @Test
  void neverRunsMoreContainersThanTheLimit() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3 * LIMIT; i++) {
      ids.add(submit(shellJob("sleep 1")).getString("id"));
    }

    AtomicLong most = new AtomicLong();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              most.accumulateAndGet(Engine.runningAmong(ids), Math::max);
              return ids.stream().allMatch(id -> Api.FINAL_STATES.contains(Api.state(id)));
            });

    for (String id : ids) {
      assertEquals("SUCCEEDED", Api.state(id));
    }
    assertTrue(most.get() <= LIMIT, "at most " + LIMIT + " containers at once, saw " + most);
    assertEquals(LIMIT, most.get(), "the limit was used to the full");
  }

  @Test
  void higherPriorityJobStartsBeforeEarlierLowerPriorityOnes() {
    // Saturate the node: one short and one long job.
    String shortBlocker = submit(shellJob("sleep 2")).getString("id");
    String longBlocker = submit(shellJob("sleep 8")).getString("id");
    awaitState(shortBlocker, Duration.ofSeconds(30), "RUNNING");
    awaitState(longBlocker, Duration.ofSeconds(30), "RUNNING");

    String low1 = submit(shellJob("true", 10)).getString("id");
    String low2 = submit(shellJob("true", 10)).getString("id");
    String high = submit(shellJob("sleep 1", 90)).getString("id");

    JsonObject highJob = awaitEnd(high);
    JsonObject low1Job = awaitEnd(low1);
    JsonObject low2Job = awaitEnd(low2);
    awaitEnd(longBlocker);

    Instant highStarted = Instant.parse(enteredAt(highJob, "STARTING"));
    assertTrue(highStarted.isBefore(Instant.parse(enteredAt(low1Job, "STARTING"))));
    assertTrue(highStarted.isBefore(Instant.parse(enteredAt(low2Job, "STARTING"))));
  }

  @Test
  void cancellingQueuedAndRunningJobs() {
    List<String> running = new ArrayList<>();
    for (int i = 0; i < LIMIT; i++) {
      running.add(submit(shellJob("sleep 60")).getString("id"));
    }
    for (String id : running) {
      awaitState(id, Duration.ofSeconds(30), "RUNNING");
    }
    String queued = submit(shellJob("echo never")).getString("id");
    assertEquals("QUEUED", Api.state(queued));

    HttpResponse<String> cancelQueued = post("/api/v1/jobs/" + queued + "/cancel", "");
    assertEquals(200, cancelQueued.statusCode(), cancelQueued.body());
    assertEquals("CANCELLED", Api.json(cancelQueued).getString("state"));

    for (String id : running) {
      HttpResponse<String> cancel = post("/api/v1/jobs/" + id + "/cancel", "");
      assertEquals(200, cancel.statusCode(), cancel.body());
    }
    for (String id : running) {
      assertEquals("CANCELLED", awaitEnd(id).getString("state"));
      await().atMost(Duration.ofSeconds(30)).until(() -> Engine.containersOf(id).isEmpty());
    }

    JsonObject neverRan = Api.job(queued);
    assertEquals(List.of("QUEUED", "CANCELLED"), history(neverRan));
    assertTrue(Engine.containersOf(queued).isEmpty());
    assertFalse(Api.logs(queued).contains("never"));
  }
}

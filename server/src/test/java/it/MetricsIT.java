package it;

import static it.support.Api.get;
import static it.support.Api.shellJob;
import static it.support.Api.shellSpec;
import static it.support.Api.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Metrics;
import jakarta.json.Json;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /metrics counts every job that ends once, under its end state. */
class MetricsIT {

  @Test
  void countersRiseByExactlyTheJobsThatEndedSplitByEndState() {
    // Jobs of other tests must not end while this one counts.
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () -> {
              var jobs = Api.json(get("/api/v1/node")).getJsonObject("jobs");
              return jobs.getInt("running") == 0 && jobs.getInt("queued") == 0;
            });
    Map<String, Double> before = Metrics.read();

    List<String> ids =
        List.of(
            submit(shellJob("echo one")).getString("id"),
            submit(shellJob("echo two")).getString("id"),
            submit(shellJob("exit 3")).getString("id"),
            // Fails twice, retried once: one job, one end.
            submit(
                    shellSpec("exit 1")
                        .add(
                            "retry",
                            Json.createObjectBuilder()
                                .add("maxAttempts", 2)
                                .add("backoffSeconds", 0))
                        .build()
                        .toString())
                .getString("id"),
            submit(shellSpec("sleep 30").add("timeoutSeconds", 1).build().toString())
                .getString("id"));
    String cancelled = submit(shellJob("sleep 30")).getString("id");
    Api.awaitState(cancelled, Duration.ofSeconds(30), "RUNNING");
    assertEquals(200, Api.post("/api/v1/jobs/" + cancelled + "/cancel", "").statusCode());
    ids.forEach(Api::awaitEnd);
    Api.awaitEnd(cancelled);

    Map<String, Double> expectedRise =
        Map.of(
            "stevedore_jobs_submitted_total{}", 6.0,
            "stevedore_jobs_finished_total{state=SUCCEEDED}", 2.0,
            "stevedore_jobs_finished_total{state=FAILED}", 2.0,
            "stevedore_jobs_finished_total{state=TIMED_OUT}", 1.0,
            "stevedore_jobs_finished_total{state=CANCELLED}", 1.0);
    // The counters move after the end is committed: wait for them, then check nothing else moved.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertEquals(expectedRise, rise(before, Metrics.read(), expectedRise)));
    Map<String, Double> after = Metrics.read();
    assertTrue(
        after.get("stevedore_jobs_run_time_seconds_count{}")
                - before.getOrDefault("stevedore_jobs_run_time_seconds_count{}", 0.0)
            >= 7, // 6 jobs, one of them twice
        "run time observed per attempt");
    assertTrue(
        after.get("stevedore_logs_stored_bytes_total{}")
            > before.getOrDefault("stevedore_logs_stored_bytes_total{}", 0.0));
    // A runner frees its slot once it has removed the container, just after the end.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Metrics.read().get("stevedore_jobs_running{}") == 0.0);
  }

  /** How much each counter of {@code expected} (and every other finished-state) rose. */
  private static Map<String, Double> rise(
      Map<String, Double> before, Map<String, Double> after, Map<String, Double> expected) {
    Map<String, Double> rise = new HashMap<>();
    after.forEach(
        (name, value) -> {
          if (expected.containsKey(name) || name.startsWith("stevedore_jobs_finished_total")) {
            double delta = value - before.getOrDefault(name, 0.0);
            if (delta != 0) {
              rise.put(name, delta);
            }
          }
        });
    return rise;
  }
}

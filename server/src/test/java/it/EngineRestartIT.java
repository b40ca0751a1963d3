package it;

import static it.support.Api.awaitState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.DockerDaemon;
import it.support.Ready;
import jakarta.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Docker engine stops and starts again under a running job (without live-restore, so the engine
 * kills its containers): the attempt is recorded as interrupted by the engine and a new one runs,
 * without the job's retry policy being asked.
 */
class EngineRestartIT {

  @BeforeAll
  static void ready() {
    Ready.application();
  }

  @Test
  void anAttemptKilledByAnEngineRestartIsRequeuedNotFailed() {
    String id =
        Api.submit(
                Api.shellJob(
                    "echo attempt $STEVEDORE_ATTEMPT;"
                        + " if [ \"$STEVEDORE_ATTEMPT\" = 1 ]; then sleep 120; fi; echo done"))
            .getString("id");
    awaitState(id, Duration.ofSeconds(30), "RUNNING");
    DockerDaemon.stop();
    DockerDaemon.start();

    JsonObject job = awaitState(id, Duration.ofSeconds(120), "SUCCEEDED", "FAILED", "CANCELLED");
    assertEquals("SUCCEEDED", job.getString("state"), job.toString());
    assertEquals(2, job.getInt("attempt"), job.toString());
    assertFalse(Api.history(job).contains("FAILED"), job.toString());
    JsonObject requeued =
        job.getJsonArray("history").getValuesAs(JsonObject.class).stream()
            .filter(
                h ->
                    h.getString("to").equals("QUEUED")
                        && "RUNNING".equals(h.getString("from", null)))
            .findFirst()
            .orElseThrow(() -> new AssertionError("never RUNNING -> QUEUED: " + job));
    assertTrue(
        requeued.getString("reason").contains("interrupted by a Docker engine stop or restart"),
        requeued.toString());
    assertTrue(Api.logs(id).contains("done"), Api.logs(id));
  }
}

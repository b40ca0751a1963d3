package it;

import static it.support.Api.awaitEnd;
import static it.support.Api.history;
import static it.support.Api.logs;
import static it.support.Api.post;
import static it.support.Api.shellJob;
import static it.support.Api.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.exception.NotFoundException;
import it.support.Api;
import it.support.Engine;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A job runs in a real container and ends with the container's exit code and output. */
class JobRunIT {

  @Test
  void successfulJobEndsSucceededWithItsOutputAndLeavesNoContainer() {
    JsonObject submitted = submit(shellJob("echo hello; echo oops >&2; exit 0"));
    String id = submitted.getString("id");
    assertEquals("QUEUED", submitted.getString("state"));

    JsonObject job = awaitEnd(id);

    assertEquals("SUCCEEDED", job.getString("state"), job.toString());
    assertEquals(0, job.getInt("exitCode"));
    assertEquals(List.of("QUEUED", "STARTING", "RUNNING", "SUCCEEDED"), history(job));
    String output = logs(id);
    assertTrue(output.contains("hello\n"), output);
    assertTrue(output.contains("oops\n"), output);
    assertEquals("hello\n", Api.get("/api/v1/jobs/" + id + "/logs?stream=stdout").body());
    await().atMost(Duration.ofSeconds(15)).until(() -> Engine.containersOf(id).isEmpty());
  }

  @Test
  void nonZeroExitCodeEndsFailedWithThatCode() {
    String id = submit(shellJob("echo failing; exit 3")).getString("id");

    JsonObject job = awaitEnd(id);

    assertEquals("FAILED", job.getString("state"), job.toString());
    assertEquals(3, job.getInt("exitCode"));
    assertTrue(job.getString("reason").contains("exit"), job.getString("reason"));
    assertTrue(logs(id).contains("failing"));
  }

  @Test
  void imageThatCannotBeHadEndsFailedWithAReasonAndLeavesNothing() {
    String image = "stevedore-it/no-such-image:never";
    String id = submit("{\"image\":\"" + image + "\",\"command\":[\"true\"]}").getString("id");

    JsonObject job = awaitEnd(id);

    assertEquals("FAILED", job.getString("state"), job.toString());
    String reason = job.getString("reason");
    assertTrue(reason.contains(image) && reason.contains("could not be pulled"), reason);
    assertTrue(Engine.containersOf(id).isEmpty());
    assertThrows(
        NotFoundException.class,
        () -> Engine.docker().inspectImageCmd(image).exec(),
        "no image was left behind");
  }

  @Test
  void finishedJobCannotBeCancelled() {
    String id = submit(shellJob("true")).getString("id");
    awaitEnd(id);

    HttpResponse<String> response = post("/api/v1/jobs/" + id + "/cancel", "");

    assertEquals(409, response.statusCode(), response.body());
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    assertEquals("SUCCEEDED", Api.state(id));
  }
}

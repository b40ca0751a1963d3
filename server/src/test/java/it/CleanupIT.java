package it;

import static it.support.Api.awaitEnd;
import static it.support.Api.awaitState;
import static it.support.Api.get;
import static it.support.Api.json;
import static it.support.Api.post;
import static it.support.Api.shellJob;
import static it.support.Api.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Ended jobs can be forgotten, and their files go when their time is up. */
class CleanupIT {

  private static final Path JOBS =
      Path.of(System.getProperty("stevedore.data.dir", "target/it-data")).resolve("jobs");

  @Test
  void deletingAnEndedJobRemovesItAndItsFiles() {
    String id = submit(shellJob("echo x > /workspace/out/x.txt")).getString("id");
    awaitEnd(id);
    assertTrue(Files.isDirectory(JOBS.resolve(id)));

    HttpResponse<String> deleted = delete(id);

    assertEquals(204, deleted.statusCode(), deleted.body());
    assertEquals(404, get("/api/v1/jobs/" + id).statusCode());
    assertFalse(Files.exists(JOBS.resolve(id)));
  }

  @Test
  void aJobThatMayStillRunCannotBeDeleted() {
    String id = submit(shellJob("sleep 30")).getString("id");
    try {
      awaitState(id, Duration.ofSeconds(30), "RUNNING");
      assertEquals(409, delete(id).statusCode());
    } finally {
      post("/api/v1/jobs/" + id + "/cancel", "");
      awaitEnd(id);
    }
  }

  @Test
  void cleanupRemovesTheFilesOfJobsPastTheCutoffAndKeepsTheJobs() {
    String id = submit(shellJob("echo kept-in-the-log")).getString("id");
    JsonObject ended = awaitEnd(id);
    Instant cutoff = Instant.parse(ended.getString("finishedAt")).plusMillis(1);

    HttpResponse<String> cleanup = post("/api/v1/admin/cleanup?finishedBefore=" + cutoff, "");

    assertEquals(200, cleanup.statusCode(), cleanup.body());
    assertTrue(json(cleanup).getInt("jobsCleaned") >= 1);
    assertFalse(Files.exists(JOBS.resolve(id)));
    JsonObject job = Api.job(id);
    assertEquals("SUCCEEDED", job.getString("state"));
    assertTrue(job.containsKey("filesRemovedAt"));
    HttpResponse<String> logs = get("/api/v1/jobs/" + id + "/logs");
    assertEquals(404, logs.statusCode());
    assertTrue(logs.body().contains("removed"), logs.body());
  }

  private static HttpResponse<String> delete(String id) {
    return Api.send(HttpRequest.newBuilder(Api.uri("/api/v1/jobs/" + id)).DELETE());
  }
}

package it;

import static it.support.Api.awaitEnd;
import static it.support.Api.get;
import static it.support.Api.json;
import static it.support.Api.shellJob;
import static it.support.Api.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Jobs are kept in the database: a restarted server shows them exactly as before. */
class RestartIT {

  private static final Path SERVER_SCRIPT =
      Path.of(System.getProperty("stevedore.wlp.dir", "target/liberty/wlp"), "bin", "server");
  private static final String SERVER_NAME = System.getProperty("stevedore.server.name", "stevedore-it");

  @Test
  void finishedJobsSurviveARestartUnchanged() throws Exception {
    String succeeded = submit(shellJob("echo kept")).getString("id");
    String failed = submit(shellJob("exit 7")).getString("id");
    JsonObject succeededBefore = awaitEnd(succeeded);
    JsonObject failedBefore = awaitEnd(failed);

    server("stop");
    server("start");
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> get("/api/v1/jobs?limit=1").statusCode() == 200);

    assertEquals(succeededBefore, Api.job(succeeded));
    assertEquals(failedBefore, Api.job(failed));
    assertTrue(Api.logs(succeeded).contains("kept"));
    JsonObject listed = json(get("/api/v1/jobs?state=FAILED&limit=500"));
    assertTrue(listed.toString().contains(failed), "the failed job is still listed");
  }

  private static void server(String action) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(SERVER_SCRIPT.toString(), action, SERVER_NAME)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "server " + action + " finished");
    assertEquals(0, process.exitValue(), "server " + action + " succeeded");
  }
}

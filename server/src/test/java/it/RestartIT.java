package it;

import static it.support.Api.awaitEnd;
import static it.support.Api.get;
import static it.support.Api.json;
import static it.support.Api.shellJob;
import static it.support.Api.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Server;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Jobs are kept in the database: a restarted server shows them exactly as before. */
class RestartIT {

  @Test
  void finishedJobsSurviveARestartUnchanged() {
    String succeeded = submit(shellJob("echo kept")).getString("id");
    String failed = submit(shellJob("exit 7")).getString("id");
    JsonObject succeededBefore = awaitEnd(succeeded);
    JsonObject failedBefore = awaitEnd(failed);

    Server.stop();
    Server.start();

    assertEquals(succeededBefore, Api.job(succeeded));
    assertEquals(failedBefore, Api.job(failed));
    assertTrue(Api.logs(succeeded).contains("kept"));
    JsonObject listed = json(get("/api/v1/jobs?state=FAILED&limit=500"));
    assertTrue(listed.toString().contains(failed), "the failed job is still listed");
  }
}

package it;

import static it.support.Api.awaitState;
import static it.support.Api.shellJob;
import static it.support.Api.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import it.support.Api;
import it.support.DockerDaemon;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** With the Docker daemon gone, submissions are kept and run by themselves once it is back. */
class EngineOutageIT {

  @Test
  void jobSubmittedWhileTheDaemonIsDownRunsWhenItReturns() {
    String id;
    DockerDaemon.stop();
    try {
      id = submit(shellJob("echo back")).getString("id");
      await()
          .during(Duration.ofSeconds(5))
          .atMost(Duration.ofSeconds(10))
          .until(() -> Api.state(id).equals("QUEUED"));
    } finally {
      DockerDaemon.start();
    }

    assertEquals(
        "SUCCEEDED",
        awaitState(id, Duration.ofSeconds(90), "SUCCEEDED", "FAILED").getString("state"));
    assertEquals("back\n", Api.logs(id));
  }
}

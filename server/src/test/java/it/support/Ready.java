package it.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

/**
 * Waits until the application answers: the server can say it started before the application has, on
 * a loaded machine.
 */
public final class Ready {

  private Ready() {}

  public static void application() {
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> Api.get("/api/v1/node").statusCode() == 200);
  }
}

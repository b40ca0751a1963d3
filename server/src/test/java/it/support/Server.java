package it.support;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Liberty server under test, driven through its own {@code server} script. */
public final class Server {

  private static final Path SCRIPT =
      Path.of(System.getProperty("stevedore.wlp.dir", "target/liberty/wlp"), "bin", "server");
  private static final String NAME = System.getProperty("stevedore.server.name", "stevedore-it");

  private Server() {}

  public static void stop() {
    run("stop");
  }

  /** Stops another server of the tests, by its name. */
  public static void stop(String name) {
    run(name, "stop");
  }

  /** Starts another server of the tests and waits until its API at {@code base} answers. */
  public static void start(String name, String base) {
    run(name, "start");
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () ->
                Api.send(
                            java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create(base + "/api/v1/jobs?limit=1"))
                                .GET())
                        .statusCode()
                    == 200);
  }

  /** Starts the server and waits until its API answers. */
  public static void start() {
    run("start");
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> Api.get("/api/v1/jobs?limit=1").statusCode() == 200);
  }

  /** Starts the server without waiting for its application, which may refuse to start. */
  public static void launch() {
    run("start");
  }

  /** The server's messages.log as it stands. */
  public static String messages() {
    try {
      return java.nio.file.Files.readString(
          SCRIPT
              .getParent()
              .resolveSibling(Path.of("usr", "servers", NAME, "logs", "messages.log")),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Kills the server's JVM outright, as a crash or an OOM killer would. */
  public static void kill() {
    kill(NAME);
  }

  /** Kills another server of the tests outright, by its name. */
  public static void kill(String name) {
    long pid = pid(name);
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
    try {
      assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive());
  }

  private static long pid(String name) {
    String status = run(name, "status");
    Matcher pid = Pattern.compile("process ID (\\d+)").matcher(status);
    assertTrue(pid.find(), status);
    return Long.parseLong(pid.group(1));
  }

  private static String run(String action) {
    return run(NAME, action);
  }

  private static String run(String name, String action) {
    try {
      Process process =
          new ProcessBuilder(SCRIPT.toString(), action, name).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), "server " + action + " finished");
      if (!action.equals("status")) {
        assertEquals(0, process.exitValue(), "server " + action + ": " + output);
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

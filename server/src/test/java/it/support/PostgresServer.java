package it.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Stops and starts the machine's PostgreSQL cluster that holds the test database, for tests of the
 * servers' behaviour while it is away: with {@code pg_ctlcluster} (Debian's tool, as
 * scripts/setup-debian.sh starts it) on the first cluster {@code pg_lsclusters} lists, or the
 * commands named by {@code stevedore.it.postgres.stop-command} and {@code
 * stevedore.it.postgres.start-command}.
 */
public final class PostgresServer {

  private PostgresServer() {}

  /** Stops it at once: open connections are cut, as when the database's machine goes away. */
  public static void stop() {
    run(
        System.getProperty(
            "stevedore.it.postgres.stop-command", "pg_ctlcluster " + cluster() + " stop -m fast"));
    await().atMost(Duration.ofSeconds(60)).until(() -> !answers());
  }

  public static void start() {
    run(
        System.getProperty(
            "stevedore.it.postgres.start-command", "pg_ctlcluster " + cluster() + " start"));
    await().atMost(Duration.ofSeconds(60)).until(PostgresServer::answers);
  }

  public static boolean answers() {
    try (Connection connection = Database.connect()) {
      return connection.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /** "15 main": the version and name of the first cluster. */
  private static String cluster() {
    String listed = output("pg_lsclusters", "-h").lines().findFirst().orElseThrow();
    String[] columns = listed.trim().split("\\s+");
    return columns[0] + " " + columns[1];
  }

  private static void run(String command) {
    output("sh", "-c", command); // throws, with the command's output, if it fails
  }

  private static String output(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
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

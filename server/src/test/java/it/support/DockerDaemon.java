package it.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Stops and starts the machine's Docker daemon, for tests of the server's behaviour while it is
 * gone. Uses systemd where it manages the daemon, else the daemon's pid file and a background
 * {@code dockerd}, as scripts/setup-debian.sh starts it.
 *
 * <p>Another daemon (one of its own for a test run, found through {@code DOCKER_HOST}) is named by
 * the system properties {@code stevedore.it.docker.pid-file} and {@code
 * stevedore.it.docker.start-command}; systemd is not asked then.
 */
public final class DockerDaemon {

  private static final String PID_FILE_PROPERTY = "stevedore.it.docker.pid-file";
  private static final String START_PROPERTY = "stevedore.it.docker.start-command";
  private static final Path PID_FILE =
      Path.of(System.getProperty(PID_FILE_PROPERTY, "/var/run/docker.pid"));
  private static final String START_COMMAND =
      System.getProperty(START_PROPERTY, "nohup dockerd >>/var/log/dockerd.log 2>&1 &");

  private DockerDaemon() {}

  public static void stop() {
    if (systemdManaged()) {
      run("systemctl", "stop", "docker.socket", "docker.service");
    } else {
      long pid;
      try {
        pid = Long.parseLong(Files.readString(PID_FILE).trim());
      } catch (IOException e) {
        throw new IllegalStateException("Cannot read " + PID_FILE, e);
      }
      run("kill", "-TERM", Long.toString(pid));
      // It stops answering at once but exits only once it has stopped its containers; a new one
      // refuses to start while the old one's pid file is there.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> !answers());
  }

  public static void start() {
    if (systemdManaged()) {
      run("systemctl", "start", "docker.service");
    } else {
      run("sh", "-c", START_COMMAND);
    }
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(DockerDaemon::answers);
  }

  public static boolean answers() {
    try {
      Engine.docker().pingCmd().exec();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean systemdManaged() {
    if (System.getProperty(PID_FILE_PROPERTY) != null
        || System.getProperty(START_PROPERTY) != null) {
      return false;
    }
    try {
      Process check =
          new ProcessBuilder("systemctl", "is-active", "--quiet", "docker.service").start();
      return check.waitFor(10, TimeUnit.SECONDS) && check.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

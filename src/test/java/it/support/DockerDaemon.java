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
 */
public final class DockerDaemon {

  private static final Path PID_FILE = Path.of("/var/run/docker.pid");

  private DockerDaemon() {}

  public static void stop() {
    if (systemdManaged()) {
      run("systemctl", "stop", "docker.socket", "docker.service");
    } else {
      try {
        String pid = Files.readString(PID_FILE).trim();
        run("kill", "-TERM", pid);
      } catch (IOException e) {
        throw new IllegalStateException("Cannot read " + PID_FILE, e);
      }
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> !answers());
  }

  public static void start() {
    if (systemdManaged()) {
      run("systemctl", "start", "docker.service");
    } else {
      run("sh", "-c", "nohup dockerd >>/var/log/dockerd.log 2>&1 &");
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

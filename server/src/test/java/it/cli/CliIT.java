package it.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Ready;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stevedore command-line tool end to end: its launcher and jar as the build made them, run as a
 * shell user runs them, against the running server.
 */
class CliIT {

  private static final Path LAUNCHER = Path.of("..", "bin", "stevedore").toAbsolutePath();

  @BeforeAll
  static void serverIsUp() {
    Ready.application();
  }

  /** What one run of the tool left behind. */
  record Ran(int exit, String out, String err) {

    JsonObject json() {
      return Json.createReader(new StringReader(out)).readObject();
    }

    JsonArray jsonArray() {
      return Json.createReader(new StringReader(out)).readArray();
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private static Ran stevedore(String... args) {
    return stevedore(Map.of(), args);
  }

  private static Ran stevedore(Map<String, String> env, String... args) {
    Process process = start(env, args);
    try {
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the tool ended within 2 minutes");
      return new Ran(
          process.exitValue(),
          new String(process.getInputStream().readAllBytes()),
          new String(process.getErrorStream().readAllBytes()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Process start(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> environment = builder.environment();
    environment.put("STEVEDORE_URL", Api.BASE);
    environment.put("STEVEDORE_KEY", Api.ADMIN_KEY);
    environment.putAll(env);
    environment.values().removeIf(String::isEmpty);
    try {
      return builder.start();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void runPrintsTheOutputAndExitsWithTheJobsExitCode() {
    Ran ran =
        stevedore(
            "run", Api.AGENT_IMAGE, "--", "sh", "-c", "echo out one; echo err one >&2; exit 3");

    assertEquals(3, ran.exit(), ran.toString());
    assertEquals("out one\n", ran.out(), ran.toString());
    assertTrue(ran.err().contains("err one\n"), ran.toString());
    assertTrue(ran.err().contains("FAILED (exit 3)"), ran.toString());

    Ran succeeded = stevedore("run", Api.AGENT_IMAGE, "echo", "fine");
    assertEquals(0, succeeded.exit(), succeeded.toString());
    assertEquals("fine\n", succeeded.out());
  }

  @Test
  void runTakesFilesAndOutputComesBack(@TempDir Path dir) throws IOException {
    Path input = Files.writeString(dir.resolve("words.txt"), "one two three\n");

    Ran ran =
        stevedore(
            "run",
            "--file",
            input + ":text/words.txt",
            "--label",
            "from=cli",
            Api.AGENT_IMAGE,
            "sh",
            "-c",
            "wc -w < /workspace/in/text/words.txt > /workspace/out/count.txt");
    assertEquals(0, ran.exit(), ran.toString());
    String id = ran.err().lines().findFirst().orElseThrow().split(" ")[1];

    Ran extracted = stevedore("output", id, "-x", dir.resolve("out").toString());
    assertEquals(0, extracted.exit(), extracted.toString());
    assertEquals("3", Files.readString(dir.resolve("out/count.txt")).trim());

    Ran zipped = stevedore("output", id, "-o", dir.resolve("out.zip").toString());
    assertEquals(0, zipped.exit(), zipped.toString());
    assertTrue(Files.size(dir.resolve("out.zip")) > 0);
  }

  @Test
  void submitWaitLogsStatusAndListWorkTogether() {
    String name = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    Ran submitted =
        stevedore("submit", "--name", name, Api.AGENT_IMAGE, "sh", "-c", "echo hello; exit 2");
    assertEquals(0, submitted.exit(), submitted.toString());
    String id = submitted.out().trim();

    Ran waited = stevedore("wait", id);
    assertEquals(2, waited.exit(), waited.toString());
    assertTrue(waited.out().startsWith("FAILED (exit 2)"), waited.toString());

    assertEquals("hello\n", stevedore("logs", id).out());
    assertEquals("hello\n", stevedore("logs", "-f", id).out());

    JsonObject status = stevedore("status", "--json", id).json();
    assertEquals("FAILED", status.getString("state"));
    assertEquals(name, status.getString("name"));
    assertTrue(stevedore("status", id).out().contains("exit code: 2"));

    JsonObject page = stevedore("list", "--json", "--name", name).json();
    assertEquals(id, page.getJsonArray("items").getJsonObject(0).getString("id"));
    assertTrue(stevedore("list", "--name", name).out().contains(id));
  }

  @Test
  void cancelAndWaitSayTheJobWasCancelled() {
    String id = stevedore("submit", Api.AGENT_IMAGE, "sleep", "300").out().trim();
    Api.awaitState(id, Duration.ofSeconds(60), "RUNNING");

    Ran cancelled = stevedore("cancel", id);
    assertEquals(0, cancelled.exit(), cancelled.toString());

    Ran waited = stevedore("wait", "--timeout", "60s", id);
    assertEquals(130, waited.exit(), waited.toString());
    assertTrue(waited.out().startsWith("CANCELLED"), waited.toString());
  }

  @Test
  void waitGivesUpAfterItsTimeout() {
    String id = stevedore("submit", Api.AGENT_IMAGE, "sleep", "300").out().trim();
    try {
      Ran waited = stevedore("wait", "--timeout", "2s", id);
      assertEquals(123, waited.exit(), waited.toString());
    } finally {
      stevedore("cancel", id);
    }
  }

  @Test
  void aStoppedRunCancelsItsJob() throws InterruptedException {
    String label = "run=" + UUID.randomUUID();
    Process run =
        start(
            Map.of(),
            "run",
            "--label",
            label,
            Api.AGENT_IMAGE,
            "sh",
            "-c",
            "echo started; sleep 300");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !Api.get("/api/v1/jobs?label=" + label).body().contains("\"items\":[]"));
    String id =
        Api.json(Api.get("/api/v1/jobs?label=" + label))
            .getJsonArray("items")
            .getJsonObject(0)
            .getString("id");
    Api.awaitState(id, Duration.ofSeconds(60), "RUNNING");

    // Without a terminal there is no one to ask: stopping the tool cancels the job.
    run.destroy();
    assertTrue(run.waitFor(60, TimeUnit.SECONDS));

    assertEquals("CANCELLED", Api.awaitEnd(id).getString("state"));
  }

  @Test
  void aBatchIsSubmittedAndWatchedToItsEnd(@TempDir Path dir) throws IOException {
    Path batch =
        Files.writeString(
            dir.resolve("batch.json"),
            """
            {"name": "cli-batch",
             "template": {"image": "%s", "command": ["sh", "-c", "echo item $ITEM"]},
             "items": [{"env": {"ITEM": "1"}}, {"env": {"ITEM": "2"}}, {"env": {"ITEM": "3"}}],
             "parallelism": 2}
            """
                .formatted(Api.AGENT_IMAGE));

    Ran watched = stevedore("batch", "submit", "--wait", batch.toString());

    assertEquals(0, watched.exit(), watched.toString());
    String last = watched.out().lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(last.contains("COMPLETED: 3/3 succeeded"), watched.toString());
    String id = last.split(" ")[0];
    assertTrue(stevedore("batch", "status", id).out().contains("3/3 succeeded"));
    assertTrue(stevedore("batch", "list").out().contains(id));
  }

  @Test
  void aSandboxIsDrivenCommandByCommand(@TempDir Path dir) throws IOException {
    Ran created = stevedore("sandbox", "create", "--image", Api.AGENT_IMAGE);
    assertEquals(0, created.exit(), created.toString());
    String id = created.out().trim();
    try {
      Path file = Files.writeString(dir.resolve("in.txt"), "abc");
      assertEquals(0, stevedore("sandbox", "cp", file.toString(), id + ":data/in.txt").exit());

      Ran exec =
          stevedore("sandbox", "exec", id, "--", "sh", "-c", "tr a-z A-Z < data/in.txt; exit 4");
      assertEquals(4, exec.exit(), exec.toString());
      assertEquals("ABC\n", exec.out(), "the output comes by lines");

      Ran timedOut = stevedore("sandbox", "exec", "--timeout", "1", id, "sleep", "30");
      assertEquals(124, timedOut.exit(), timedOut.toString());

      assertEquals(0, stevedore("sandbox", "exec", id, "sh", "-c", "echo out > result.txt").exit());
      Path result = dir.resolve("result.txt");
      assertEquals(0, stevedore("sandbox", "cp", id + ":result.txt", result.toString()).exit());
      assertEquals("out\n", Files.readString(result));

      assertTrue(stevedore("sandbox", "status", id).out().contains("READY"));
    } finally {
      assertEquals(0, stevedore("sandbox", "rm", id).exit());
    }
    assertTrue(
        stevedore("sandbox", "status", "--json", id).json().getString("state").equals("ENDED"));
  }

  @Test
  void administratorsManageKeysAndTenants() {
    String tenant = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    Ran made = stevedore("tenants", "create", tenant, "--max-running", "1", "--json");
    assertEquals(0, made.exit(), made.toString());
    assertEquals(1, made.json().getInt("maxRunning"));
    assertEquals(0, stevedore("tenants", "update", tenant, "--max-running", "2").exit());
    assertTrue(stevedore("tenants", "list").out().contains(tenant));

    Ran key =
        stevedore("keys", "create", "--name", "cli-key", "--role", "viewer", "--tenant", tenant);
    assertEquals(0, key.exit(), key.toString());
    String secret = key.out().trim();
    Ran asViewer = stevedore(Map.of("STEVEDORE_KEY", secret), "list");
    assertEquals(0, asViewer.exit(), asViewer.toString());
    Ran refused = stevedore(Map.of("STEVEDORE_KEY", secret), "submit", Api.AGENT_IMAGE, "true");
    assertEquals(125, refused.exit(), refused.toString());
    assertTrue(refused.err().contains("403"), refused.toString());

    String keyId =
        stevedore("keys", "list", "--json").jsonArray().stream()
            .map(JsonObject.class::cast)
            .filter(k -> tenant.equals(k.getString("tenant")))
            .findFirst()
            .orElseThrow()
            .getString("id");
    assertEquals(0, stevedore("keys", "revoke", keyId).exit());
    assertEquals(125, stevedore(Map.of("STEVEDORE_KEY", secret), "list").exit());
  }

  @Test
  void failuresAreSaidOnStandardErrorWithExitStatus125(@TempDir Path dir) throws IOException {
    Ran missing = stevedore("status", "01a25272-0000-7000-8000-000000000000");
    assertEquals(125, missing.exit(), missing.toString());
    assertTrue(missing.err().startsWith("stevedore: 404"), missing.toString());

    Ran invalid = stevedore("submit", "--timeout", "-1", Api.AGENT_IMAGE, "true");
    assertEquals(125, invalid.exit(), invalid.toString());
    assertTrue(invalid.err().contains("timeoutSeconds"), invalid.toString());

    Ran unreachable = stevedore(Map.of("STEVEDORE_URL", "http://localhost:9"), "list");
    assertEquals(125, unreachable.exit(), unreachable.toString());
    assertTrue(unreachable.err().contains("cannot reach the server"), unreachable.toString());

    Ran usage = stevedore("status");
    assertEquals(125, usage.exit(), usage.toString());

    // The config file names the server and key when the environment does not.
    Path config =
        Files.writeString(dir.resolve("config"), "url=" + Api.BASE + "\nkey=" + Api.ADMIN_KEY);
    Map<String, String> fromFile = new HashMap<>();
    fromFile.put("STEVEDORE_URL", "");
    fromFile.put("STEVEDORE_KEY", "");
    fromFile.put("STEVEDORE_CONFIG", config.toString());
    Ran configured = stevedore(fromFile, "list", "--limit", "1");
    assertEquals(0, configured.exit(), configured.toString());
  }

  @Test
  void operatorsSeeAndDrainNodes() {
    String self = Api.json(Api.get("/api/v1/node")).getString("node");
    Ran listed = stevedore("nodes", "list");
    assertEquals(0, listed.exit(), listed.toString());
    assertTrue(listed.out().lines().anyMatch(l -> l.startsWith(self + " ") && l.contains("UP")));
    try {
      Ran drained = stevedore("nodes", "drain", self);
      assertEquals(self + " DRAINING\n", drained.out(), drained.toString());
    } finally {
      assertEquals(0, stevedore("nodes", "undrain", self).exit());
    }
    assertEquals(
        "UP",
        stevedore("nodes", "list", "--json").jsonArray().stream()
            .map(JsonObject.class::cast)
            .filter(n -> n.getString("name").equals(self))
            .findFirst()
            .orElseThrow()
            .getString("state"));
  }
}

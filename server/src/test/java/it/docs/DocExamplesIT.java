package it.docs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import it.support.Api;
import it.support.Ready;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every shell example of README.md and docs/api.md runs as written, against the test server.
 *
 * <p>The blocks fenced as {@code ```sh}, {@code ```bash} or {@code ```shell} of a document run in
 * order, each a test of its own named by the document and the line of its fence. Each runs in its
 * own bash with {@code set -euo pipefail}, after the variables, functions, aliases and directory
 * that the blocks before it left, as in a reader's shell. A block fails if bash exits with anything
 * but 0; {@code curl} fails on an answer of 400 or above ({@code --fail-with-body}), so a request
 * the server refuses fails its block. Blocks after a failed one are skipped.
 *
 * <p>What the documents assume of the reader's machine, the test provides: {@code localhost:9080}
 * is the test server; {@code KEY} holds the administrator key (and so does {@code data/admin-key},
 * where the README reads it from); the working directory, fresh for each document under {@code
 * target/doc-examples/}, holds {@code data.csv}, {@code main.py} and a {@code project/} directory;
 * it is also {@code HOME}, so no file of the machine's user (a {@code .curlrc}) takes part; {@code
 * STEVEDORE_URL} names the test server for the command-line tool, whose launcher {@code
 * bin/stevedore} is on the {@code PATH} (it runs the jar the build made in {@code cli/target/});
 * {@code STEVEDORE_KEY} is left for the documents to set, as a reader must. The tenant the README
 * makes, {@code data-team}, is the one name changed (to {@code data-team-<run>}): no API call
 * removes a tenant, and a second run on the same database would find it taken.
 *
 * <p>The convention the documents follow:
 *
 * <ul>
 *   <li>A shell block that cannot run here (it starts a server, installs packages, needs a tool the
 *       machine lacks …) has the line {@code <!-- not run: <reason> -->} directly above its fence.
 *       It is reported as a skipped test with that reason. A marker anywhere else, or without a
 *       reason, fails the test.
 *   <li>Answers and other output are fenced as {@code json}, {@code text} or with no language, and
 *       are not run.
 * </ul>
 */
class DocExamplesIT {

  private static final Duration BLOCK_TIMEOUT = Duration.ofSeconds(90);
  private static final Path CLI_LAUNCHER = Path.of("../bin/stevedore");

  /** What the documents' examples read from the reader's directory. */
  private static final Map<String, String> FILES =
      Map.of(
          "data/admin-key", Api.ADMIN_KEY + "\n",
          "data.csv", "region,amount\nnorth,12\nsouth,7\n",
          "main.py", "print('hello from main.py')\n",
          "project/README", "a project\n",
          "project/src/app.py", "print('app')\n");

  /** Names the examples make that no API call removes: each run makes its own. */
  private static final List<String> FRESH_NAMES = List.of("data-team");

  private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  private static final Set<String> poolsBefore = new HashSet<>();
  private static final Set<String> sandboxesBefore = new HashSet<>();
  private static final Set<String> unfinishedJobsBefore = new HashSet<>();

  @BeforeAll
  static void noteWhatIsThere() {
    Ready.application();
    poolsBefore.addAll(pools());
    sandboxesBefore.addAll(readySandboxes());
    unfinishedJobsBefore.addAll(unfinishedJobs());
  }

  /**
   * Leaves the server as the examples found it for the tests after this one: the jobs they
   * submitted ended, their sandboxes and pools gone.
   */
  @AfterAll
  static void cleanUp() {
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> unfinishedJobsBefore.containsAll(unfinishedJobs()));
    } finally {
      for (String job : unfinishedJobs()) {
        if (!unfinishedJobsBefore.contains(job)) {
          Api.post("/api/v1/jobs/" + job + "/cancel", "");
        }
      }
      for (String sandbox : readySandboxes()) {
        if (!sandboxesBefore.contains(sandbox)) {
          Api.send(HttpRequest.newBuilder(Api.uri("/api/v1/sandboxes/" + sandbox)).DELETE());
        }
      }
      for (String pool : pools()) {
        if (!poolsBefore.contains(pool)) {
          Api.send(HttpRequest.newBuilder(Api.uri("/api/v1/pools/" + pool)).DELETE());
        }
      }
    }
  }

  @TestFactory
  Stream<DynamicNode> readme() throws IOException {
    return examples("README.md");
  }

  @TestFactory
  Stream<DynamicNode> api() throws IOException {
    return examples("docs/api.md");
  }

  /** One test per shell block of the document, run in order in one session. */
  private static Stream<DynamicNode> examples(String document) throws IOException {
    Path file = Path.of("..", document);
    String name = file.getFileName().toString();
    List<ShellBlock> blocks = ShellBlock.read(file, name);
    Path dir = Path.of("target", "doc-examples", name).toAbsolutePath();
    ShellSession shell = new ShellSession(name, dir, FILES, environment(dir));
    URI server = URI.create(Api.BASE);
    String hostAndPort = server.getHost() + ":" + server.getPort();
    int[] failedAt = {0};
    return blocks.stream()
        .map(
            block ->
                DynamicTest.dynamicTest(
                    name + ":" + block.line() + " " + block.firstLine(),
                    () -> {
                      Assumptions.assumeTrue(
                          block.notRun() == null, () -> "not run: " + block.notRun());
                      Assumptions.assumeTrue(
                          failedAt[0] == 0,
                          () -> "skipped: the block at " + name + ":" + failedAt[0] + " failed");
                      failedAt[0] = block.line();
                      run(shell, block, asRun(block.code(), hostAndPort));
                      failedAt[0] = 0;
                    }));
  }

  /** The block's code with the test server for {@code localhost:9080}, and fresh names. */
  private static String asRun(String code, String hostAndPort) {
    String run = code.replace("localhost:9080", hostAndPort);
    for (String name : FRESH_NAMES) {
      run = run.replaceAll("\\b" + Pattern.quote(name) + "\\b", name + "-" + RUN);
    }
    return run;
  }

  private static void run(ShellSession shell, ShellBlock block, String code) throws Exception {
    long started = System.nanoTime();
    ShellSession.Result result = shell.run(block.line(), code, BLOCK_TIMEOUT);
    long millis = (System.nanoTime() - started) / 1_000_000;
    String output =
        "\n--- stdout ---\n" + tail(result.stdout()) + "\n--- stderr ---\n" + tail(result.stderr());
    System.out.printf(
        "%s:%d (%d ms, exit %d)%s%n",
        block.document(), block.line(), millis, result.exitCode(), output);
    if (result.timedOut()) {
      fail(where(block) + " did not end within " + BLOCK_TIMEOUT.toSeconds() + " s" + output);
    }
    assertEquals(
        0, result.exitCode(), () -> where(block) + " exited with " + result.exitCode() + output);
  }

  private static String where(ShellBlock block) {
    return "the block at " + block.document() + ":" + block.line() + " (" + block.firstLine() + ")";
  }

  private static String tail(String text) {
    return text.length() <= 8000 ? text : "…" + text.substring(text.length() - 8000);
  }

  private static Map<String, String> environment(Path dir) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOME", dir.toString());
    env.put("KEY", Api.ADMIN_KEY);
    env.put("STEVEDORE_URL", Api.BASE);
    if (Files.isExecutable(CLI_LAUNCHER)) {
      env.put(
          "PATH",
          CLI_LAUNCHER.toAbsolutePath().normalize().getParent() + ":" + System.getenv("PATH"));
    }
    return env;
  }

  private static List<String> pools() {
    return names(Api.get("/api/v1/pools"), "name");
  }

  private static List<String> readySandboxes() {
    return names(Api.get("/api/v1/sandboxes?state=READY&limit=100"), "id");
  }

  private static List<String> unfinishedJobs() {
    HttpResponse<String> page =
        Api.get("/api/v1/jobs?state=QUEUED&state=STARTING&state=RUNNING&limit=500");
    assertEquals(200, page.statusCode(), page.body());
    return Api.json(page).getJsonArray("items").getValuesAs(JsonObject.class).stream()
        .map(job -> job.getString("id"))
        .toList();
  }

  private static List<String> names(HttpResponse<String> list, String field) {
    assertEquals(200, list.statusCode(), list.body());
    return Api.jsonArray(list).stream()
        .map(JsonValue::asJsonObject)
        .map(o -> o.getString(field))
        .toList();
  }
}

package it;

import static it.support.Api.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import it.support.Api;
import it.support.Engine;
import it.support.Metrics;
import it.support.Server;
import it.support.Stream;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sandboxes with the real engine: state kept between execs, files in and out, a timeout that leaves
 * the sandbox usable, idle and lost containers that end it, tenant scoping and roles, paths and
 * links that would leave the workspace, warm pools, streams, quotas, and a restart in the middle of
 * a sandbox's use.
 */
class SandboxesIT {

  private static final String SANDBOXES = "/api/v1/sandboxes";
  private static final List<String> made = new ArrayList<>();

  /** Each sandbox holds a running slot of its tenant: each test ends its own. */
  @AfterEach
  void endSandboxes() {
    for (String id : made) {
      Api.send(HttpRequest.newBuilder(Api.uri(SANDBOXES + "/" + id)).DELETE());
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> sandboxContainers().isEmpty());
    made.clear();
  }

  @Test
  void aSandboxKeepsItsFilesBetweenExecsInAConfinedContainer() {
    Stream events = Stream.open("/ws/events?ticket=" + Stream.ticket(Api.ADMIN_KEY), true);
    JsonObject sandbox =
        create(
            Json.createObjectBuilder()
                .add("image", Api.AGENT_IMAGE)
                .add("env", Json.createObjectBuilder().add("GREETING", "hi"))
                .add("secrets", Json.createObjectBuilder().add("TOKEN", "s3cret"))
                .add("labels", Json.createObjectBuilder().add("team", "it")));
    String id = sandbox.getString("id");
    assertEquals("READY", sandbox.getString("state"));
    assertEquals("cold", sandbox.getString("start"));
    assertEquals("***", sandbox.getJsonObject("spec").getJsonObject("secrets").getString("TOKEN"));

    JsonObject wrote =
        exec(
            id,
            "echo \"$GREETING $TOKEN $(id -u) $(pwd)\"; echo state > kept.txt; echo e >&2; exit 2");
    assertEquals(2, wrote.getInt("exitCode"), wrote.toString());
    assertEquals("hi s3cret 65534 /workspace\n", wrote.getString("stdout"));
    assertEquals("e\n", wrote.getString("stderr"));
    assertFalse(wrote.getBoolean("timedOut"));
    JsonObject read = exec(id, "cat kept.txt");
    assertEquals("state\n", read.getString("stdout"), read.toString());
    assertEquals(0, read.getInt("exitCode"));
    JsonObject stdin = execJson(id, command("wc", "-l").add("stdin", "a\nb\nc\n"));
    assertEquals("3", stdin.getString("stdout").trim(), stdin.toString());

    JsonObject shown = json(Api.get(SANDBOXES + "/" + id));
    assertEquals(3, shown.getInt("execCount"));
    JsonObject latest = shown.getJsonArray("execs").getJsonObject(0);
    assertEquals("wc", latest.getJsonArray("command").getString(0));
    assertEquals(0, latest.getInt("exitCode"));
    assertEquals(2, shown.getJsonArray("execs").getJsonObject(2).getInt("exitCode"));

    InspectContainerResponse container =
        Engine.docker().inspectContainerCmd(shown.getString("container")).exec();
    assertEquals(id, container.getConfig().getLabels().get("stevedore.sandbox"));
    assertEquals("65534:65534", container.getConfig().getUser());
    assertTrue(container.getHostConfig().getReadonlyRootfs());
    assertTrue(List.of(container.getHostConfig().getCapDrop()).contains(Capability.ALL));
    assertFalse(
        List.of(container.getConfig().getEnv()).toString().contains("s3cret"),
        "secrets are given to execs, never to the container");

    assertEquals(204, delete(id).statusCode());
    JsonObject ended = json(Api.get(SANDBOXES + "/" + id));
    assertEquals("ENDED", ended.getString("state"));
    assertEquals("deleted by its owner", ended.getString("endReason"));
    assertTrue(containersOf(id).isEmpty(), "its container is removed");
    assertEquals(
        409,
        Api.post(SANDBOXES + "/" + id + "/exec", command("true").build().toString()).statusCode());
    assertEquals(204, delete(id).statusCode(), "ending an ended sandbox changes nothing");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                events.messages.stream()
                    .filter(m -> id.equals(m.getString("sandboxId", "")))
                    .map(m -> m.getString("type") + ":" + m.getString("state", ""))
                    .collect(Collectors.toSet())
                    .containsAll(Set.of("sandbox:READY", "exec:", "sandbox:ENDED")));
    events.abort();
    Map<String, Double> metrics = Metrics.read();
    assertTrue(
        metrics.getOrDefault("stevedore_sandbox_execs_total{}", 0.0) >= 3, metrics.toString());
    String audit = Api.get("/api/v1/audit?limit=50").body();
    assertTrue(audit.contains("\"sandbox.exec\"") && audit.contains(id), audit);
  }

  @Test
  void filesGoInAndComeOutAsFilesTarsAndZips() throws IOException {
    String id = create(cold()).getString("id");
    assertEquals(
        204,
        upload(id, "src/notes/a.txt", "alpha\n".getBytes(), "application/octet-stream")
            .statusCode());
    byte[] tar = tar(Map.of("b.txt", "beta\n", "deep/c.txt", "gamma\n"));
    assertEquals(204, upload(id, "src/more", tar, "application/x-tar").statusCode());

    JsonObject ran =
        exec(
            id,
            "cat src/notes/a.txt src/more/b.txt src/more/deep/c.txt > result.txt; ls -n src/more");
    assertEquals(0, ran.getInt("exitCode"), ran.toString());
    assertTrue(ran.getString("stdout").contains("65534"), "uploads belong to the sandbox user");

    assertEquals(
        "alpha\nbeta\ngamma\n", Api.get(SANDBOXES + "/" + id + "/files/result.txt").body());
    JsonObject listing = json(Api.get(SANDBOXES + "/" + id + "/files/src"));
    assertEquals("/workspace/src", listing.getString("path"));
    assertEquals(
        List.of("more:directory", "notes:directory"),
        listing.getJsonArray("entries").stream()
            .map(e -> e.asJsonObject().getString("name") + ":" + e.asJsonObject().getString("type"))
            .toList());
    assertEquals(
        Map.of(
            "src/",
            "",
            "src/more/",
            "",
            "src/more/b.txt",
            "beta\n",
            "src/more/deep/",
            "",
            "src/more/deep/c.txt",
            "gamma\n",
            "src/notes/",
            "",
            "src/notes/a.txt",
            "alpha\n"),
        untar(download(id, "src?archive=tar")));
    assertEquals(
        Map.of("more/", "", "more/b.txt", "beta\n", "more/deep/", "", "more/deep/c.txt", "gamma\n"),
        unzip(download(id, "src/more?archive=zip")));
    assertTrue(untar(download(id, "?archive=tar")).containsKey("result.txt"));
  }

  @Test
  void anExecPastItsTimeoutIsKilledAndTheSandboxGoesOn() {
    String id = create(cold()).getString("id");
    JsonObject late =
        execJson(
            id,
            command("sh", "-c", "echo started; sleep 300 & sleep 301; echo never")
                .add("timeoutSeconds", 1));
    assertTrue(late.getBoolean("timedOut"), late.toString());
    assertEquals(137, late.getInt("exitCode"));
    assertEquals("started\n", late.getString("stdout"));
    assertTrue(late.getInt("durationMs") < 10_000, late.toString());
    JsonObject after = exec(id, "ps -o args");
    assertEquals(0, after.getInt("exitCode"), after.toString());
    assertFalse(
        after.getString("stdout").contains("sleep 30"), "its whole group was killed: " + after);
    assertEquals("READY", json(Api.get(SANDBOXES + "/" + id)).getString("state"));
  }

  @Test
  void aCommandKilledForItsMemoryIsSaidSoAndTheSandboxGoesOn() {
    String id =
        create(cold().add("resources", Json.createObjectBuilder().add("memoryMb", 64)))
            .getString("id");
    JsonObject hog = exec(id, "tail /dev/zero");
    assertEquals(137, hog.getInt("exitCode"), hog.toString());
    assertTrue(hog.getBoolean("oomKilled"), hog.toString());
    assertFalse(hog.getBoolean("timedOut"));
    JsonObject after = exec(id, "echo alive");
    assertEquals("alive\n", after.getString("stdout"), after.toString());
    assertFalse(after.getBoolean("oomKilled"));
    assertEquals("READY", json(Api.get(SANDBOXES + "/" + id)).getString("state"));
  }

  @Test
  void anIdleSandboxAndOneWhoseContainerDisappearedEnd() {
    String idle = create(cold().add("idleTimeoutSeconds", 1)).getString("id");
    String lost = create(cold()).getString("id");
    Engine.docker()
        .removeContainerCmd(json(Api.get(SANDBOXES + "/" + lost)).getString("container"))
        .withForce(true)
        .exec();

    JsonObject idleEnded = awaitEnded(idle);
    assertEquals("idle for 1 s", idleEnded.getString("endReason"));
    await().atMost(Duration.ofSeconds(30)).until(() -> containersOf(idle).isEmpty());
    JsonObject lostEnded = awaitEnded(lost);
    assertEquals("its container disappeared", lostEnded.getString("endReason"));
  }

  @Test
  void otherTenantsSeeNothingAndViewersCannotDrive() {
    String id = create(cold()).getString("id");
    String tenant = tenant(null);
    String other = key(tenant, "submitter");
    for (HttpRequest.Builder request :
        List.of(
            HttpRequest.newBuilder(Api.uri(SANDBOXES + "/" + id)),
            HttpRequest.newBuilder(Api.uri(SANDBOXES + "/" + id + "/files")),
            HttpRequest.newBuilder(Api.uri(SANDBOXES + "/" + id + "/exec"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(command("true").build().toString())),
            HttpRequest.newBuilder(Api.uri(SANDBOXES + "/" + id)).DELETE())) {
      HttpResponse<String> refused = Api.sendAs(other, request);
      assertEquals(404, refused.statusCode(), refused.body());
      assertTrue(
          refused
              .headers()
              .firstValue("Content-Type")
              .orElse("")
              .startsWith("application/problem+json"));
    }
    assertFalse(Api.sendAs(other, HttpRequest.newBuilder(Api.uri(SANDBOXES))).body().contains(id));
    assertEquals(
        404,
        Stream.handshakeStatus("/ws/sandboxes/" + id + "/exec?ticket=" + Stream.ticket(other)));

    String viewer = key("default", "viewer");
    assertEquals(
        200,
        Api.sendAs(viewer, HttpRequest.newBuilder(Api.uri(SANDBOXES + "/" + id))).statusCode());
    HttpResponse<String> exec =
        Api.sendAs(
            viewer,
            HttpRequest.newBuilder(Api.uri(SANDBOXES + "/" + id + "/exec"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(command("true").build().toString())));
    assertEquals(403, exec.statusCode(), exec.body());
    assertEquals(
        403,
        Api.sendAs(viewer, HttpRequest.newBuilder(Api.uri(SANDBOXES + "/" + id)).DELETE())
            .statusCode());
    assertEquals(
        403,
        Stream.handshakeStatus("/ws/sandboxes/" + id + "/exec?ticket=" + Stream.ticket(viewer)));
    assertEquals(0, json(Api.get(SANDBOXES + "/" + id)).getInt("execCount"), "nothing ran");
  }

  @Test
  void pathsAndLinksThatLeaveTheWorkspaceAreRefused() throws IOException {
    String id = create(cold()).getString("id");
    exec(id, "ln -s /etc etc-link; ln -s /etc/passwd passwd-link; mkdir real; echo ok > real/f");
    String escape = "stevedore-escape-" + UUID.randomUUID();

    assertRefused(
        upload(id, "%2E%2E/%2E%2E/tmp/" + escape, "x".getBytes(), "application/octet-stream"));
    assertRefused(upload(id, "etc-link/" + escape, "x".getBytes(), "application/octet-stream"));
    assertRefused(upload(id, "", tarWithName("../" + escape), "application/x-tar"));
    assertRefused(upload(id, "", tarWithName("/tmp/" + escape), "application/x-tar"));
    assertRefused(upload(id, "real", tarWithLink("l", "/etc"), "application/x-tar"));
    assertRefused(download(id + "/files/etc-link/passwd"));
    assertRefused(download(id + "/files/passwd-link"));
    assertRefused(download(id + "/files/%2E%2E/%2E%2E/etc/passwd"));
    assertRefused(download(id + "/files/etc-link?archive=tar"));

    assertFalse(Files.exists(Path.of("/tmp", escape)));
    assertFalse(Files.exists(Path.of("/etc", escape)));
    JsonObject inside = exec(id, "ls /tmp /etc | grep -c stevedore-escape; ls real");
    assertEquals("0\nf\n", inside.getString("stdout"), "nothing landed anywhere: " + inside);
    Map<String, String> all = untar(download(id, "?archive=tar"));
    assertEquals(Map.of("real/", "", "real/f", "ok\n"), all, "links are never archived");
  }

  @Test
  void aSandboxFromAWarmPoolStartsWarmAndLeavesThePool() {
    String pool = "sbx-" + UUID.randomUUID().toString().substring(0, 8);
    JsonObject defined =
        json(
            Api.post(
                "/api/v1/pools",
                Json.createObjectBuilder()
                    .add("name", pool)
                    .add("image", Api.AGENT_IMAGE)
                    .add("tenants", Json.createArrayBuilder().add("*"))
                    .add("size", 1)
                    .build()
                    .toString()));
    assertEquals(pool, defined.getString("name"));
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> warm(pool) == 1);
      JsonObject sandbox = create(Json.createObjectBuilder().add("pool", pool));
      assertEquals("warm", sandbox.getString("start"), sandbox.toString());
      String container = sandbox.getString("container");
      assertTrue(container.startsWith("stevedore-pool-" + pool + "-"), container);
      JsonObject ran =
          exec(
              sandbox.getString("id"),
              "echo top > /workspace/top.txt && echo out > /workspace/out/o.txt && cat top.txt out/o.txt");
      assertEquals("top\nout\n", ran.getString("stdout"), ran.toString());
      assertEquals(
          "out\n", Api.get(SANDBOXES + "/" + sandbox.getString("id") + "/files/out/o.txt").body());
      // The pool starts another in its place; the sandbox's container is no longer the pool's.
      await().atMost(Duration.ofSeconds(60)).until(() -> warm(pool) == 1);
      assertEquals(204, delete(sandbox.getString("id")).statusCode());
      await().atMost(Duration.ofSeconds(30)).until(() -> !runningNames().contains(container));
    } finally {
      Api.send(HttpRequest.newBuilder(Api.uri("/api/v1/pools/" + pool)).DELETE());
    }
  }

  @Test
  void outputStreamsOverHttpAndWebSocket() throws Exception {
    String id = create(cold()).getString("id");
    HttpResponse<java.util.stream.Stream<String>> streamed =
        Api.send(
            HttpRequest.newBuilder(Api.uri(SANDBOXES + "/" + id + "/exec"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/x-ndjson")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        command("sh", "-c", "echo one; echo two >&2; exit 5").build().toString())),
            HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, streamed.statusCode());
    List<JsonObject> lines = streamed.body().map(Api::parse).toList();
    assertEquals(
        Set.of("stdout:one", "stderr:two"),
        lines.subList(0, 2).stream()
            .map(l -> l.getString("type") + ":" + l.getString("text"))
            .collect(Collectors.toSet()));
    assertEquals("exit", lines.get(2).getString("type"));
    assertEquals(5, lines.get(2).getInt("exitCode"));

    Stream socket =
        Stream.open("/ws/sandboxes/" + id + "/exec?ticket=" + Stream.ticket(Api.ADMIN_KEY), true);
    socket.send(command("sh", "-c", "for i in 1 2 3; do echo line$i; done").build().toString());
    assertEquals(1000, socket.closed.get(30, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals(
        List.of("stdout:line1", "stdout:line2", "stdout:line3", "exit:"),
        socket.messages.stream()
            .map(m -> m.getString("type") + ":" + m.getString("text", ""))
            .toList());
    assertEquals(0, socket.messages.get(3).getInt("exitCode"));
  }

  @Test
  void aSandboxHoldsARunningSlotOfItsTenant() {
    String tenant = tenant(1);
    String submitter = key(tenant, "submitter");
    HttpResponse<String> first = createAs(submitter, cold());
    assertEquals(201, first.statusCode(), first.body());
    String id = json(first).getString("id");
    made.add(id);
    HttpResponse<String> second = createAs(submitter, cold());
    assertEquals(429, second.statusCode(), second.body());
    assertTrue(second.headers().firstValue("Retry-After").isPresent());
    HttpResponse<String> job =
        Api.sendAs(
            submitter,
            HttpRequest.newBuilder(Api.uri("/api/v1/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Api.shellJob("echo after"))));
    String jobId = json(job).getString("id");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                json(Api.get("/api/v1/jobs/" + jobId))
                    .getString("waitingReason", "")
                    .contains("quota"));
    assertEquals(
        204,
        Api.sendAs(submitter, HttpRequest.newBuilder(Api.uri(SANDBOXES + "/" + id)).DELETE())
            .statusCode());
    assertEquals("SUCCEEDED", Api.awaitEnd(jobId).getString("state"));
  }

  @Test
  void badSpecsAreRefusedAndChangeNothing() {
    int before = Api.jsonArray(Api.get(SANDBOXES + "?limit=500")).size();
    for (JsonObjectBuilder bad :
        List.of(
            Json.createObjectBuilder(),
            Json.createObjectBuilder().add("pool", "no-such-pool"),
            cold().add("idleTimeoutSeconds", 10_000_000),
            cold().add("resources", Json.createObjectBuilder().add("memoryMb", 100_000_000)),
            cold().add("network", "host"))) {
      HttpResponse<String> refused = Api.post(SANDBOXES, bad.build().toString());
      assertEquals(400, refused.statusCode(), refused.body());
      assertTrue(
          refused
              .headers()
              .firstValue("Content-Type")
              .orElse("")
              .startsWith("application/problem+json"));
    }
    String id = create(cold()).getString("id");
    HttpResponse<String> noCommand = Api.post(SANDBOXES + "/" + id + "/exec", "{}");
    assertEquals(400, noCommand.statusCode(), noCommand.body());
    assertEquals(
        400,
        Api.post(
                SANDBOXES + "/" + id + "/exec",
                command("true").add("timeoutSeconds", 100_000_000).build().toString())
            .statusCode());
    assertEquals(0, json(Api.get(SANDBOXES + "/" + id)).getInt("execCount"));
    assertEquals(before + 1, Api.jsonArray(Api.get(SANDBOXES + "?limit=500")).size(), "one made");
  }

  @Test
  void aRestartKeepsASandboxAndItsFilesAndEndsOneWhoseContainerWentMeanwhile() {
    String kept = create(cold()).getString("id");
    String lost = create(cold()).getString("id");
    exec(kept, "echo before > mine.txt; mkdir -p /tmp/pkg && echo installed > /tmp/pkg/v");
    String keptContainer = json(Api.get(SANDBOXES + "/" + kept)).getString("container");
    String lostContainer = json(Api.get(SANDBOXES + "/" + lost)).getString("container");

    Server.kill();
    Engine.docker().removeContainerCmd(lostContainer).withForce(true).exec();
    Server.start();

    JsonObject after = exec(kept, "cat mine.txt /tmp/pkg/v");
    assertEquals("before\ninstalled\n", after.getString("stdout"), after.toString());
    assertEquals(keptContainer, json(Api.get(SANDBOXES + "/" + kept)).getString("container"));
    assertEquals("before\n", Api.get(SANDBOXES + "/" + kept + "/files/mine.txt").body());
    JsonObject ended = json(Api.get(SANDBOXES + "/" + lost));
    assertEquals("ENDED", ended.getString("state"));
    assertEquals(
        "its container disappeared while the server was down", ended.getString("endReason"));
  }

  // ---- helpers ----

  private static JsonObjectBuilder cold() {
    return Json.createObjectBuilder().add("image", Api.AGENT_IMAGE);
  }

  private static JsonObject create(JsonObjectBuilder spec) {
    HttpResponse<String> created = Api.post(SANDBOXES, spec.build().toString());
    assertEquals(201, created.statusCode(), created.body());
    JsonObject sandbox = json(created);
    made.add(sandbox.getString("id"));
    return sandbox;
  }

  private static HttpResponse<String> createAs(String key, JsonObjectBuilder spec) {
    return Api.sendAs(
        key,
        HttpRequest.newBuilder(Api.uri(SANDBOXES))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(spec.build().toString())));
  }

  private static JsonObjectBuilder command(String... parts) {
    JsonArrayBuilder array = Json.createArrayBuilder();
    for (String part : parts) {
      array.add(part);
    }
    return Json.createObjectBuilder().add("command", array);
  }

  private static JsonObject exec(String id, String script) {
    return execJson(id, command("sh", "-c", script));
  }

  private static JsonObject execJson(String id, JsonObjectBuilder request) {
    HttpResponse<String> ran = Api.post(SANDBOXES + "/" + id + "/exec", request.build().toString());
    assertEquals(200, ran.statusCode(), ran.body());
    return json(ran);
  }

  private static HttpResponse<String> delete(String id) {
    return Api.send(HttpRequest.newBuilder(Api.uri(SANDBOXES + "/" + id)).DELETE());
  }

  private static HttpResponse<String> upload(String id, String path, byte[] body, String type) {
    return Api.send(
        HttpRequest.newBuilder(
                Api.uri(SANDBOXES + "/" + id + "/files" + (path.isEmpty() ? "" : "/" + path)))
            .header("Content-Type", type)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private static HttpResponse<byte[]> download(String idAndPath) {
    return Api.sendBytes(HttpRequest.newBuilder(Api.uri(SANDBOXES + "/" + idAndPath)));
  }

  private static byte[] download(String id, String pathAndQuery) {
    HttpResponse<byte[]> got =
        download(id + "/files" + (pathAndQuery.startsWith("?") ? "" : "/") + pathAndQuery);
    assertEquals(200, got.statusCode(), new String(got.body(), StandardCharsets.UTF_8));
    return got.body();
  }

  private static void assertRefused(HttpResponse<?> response) {
    assertTrue(
        response.statusCode() == 400 || response.statusCode() == 404,
        response.statusCode() + " " + response.body());
    assertTrue(
        response
            .headers()
            .firstValue("Content-Type")
            .orElse("")
            .startsWith("application/problem+json"));
  }

  private static JsonObject awaitEnded(String id) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> json(Api.get(SANDBOXES + "/" + id)).getString("state").equals("ENDED"));
    return json(Api.get(SANDBOXES + "/" + id));
  }

  private static byte[] tar(Map<String, String> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      for (var file : files.entrySet()) {
        byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** A tar whose one entry has a name as given, unchecked. */
  private static byte[] tarWithName(String name) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry entry = new TarArchiveEntry(name, true);
      entry.setSize(1);
      tar.putArchiveEntry(entry);
      tar.write('x');
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  private static byte[] tarWithLink(String name, String target) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
      entry.setLinkName(target);
      tar.putArchiveEntry(entry);
      tar.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }

  private static Map<String, String> untar(byte[] archive) throws IOException {
    Map<String, String> entries = new java.util.TreeMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(archive))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        entries.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return entries;
  }

  private static Map<String, String> unzip(byte[] archive) throws IOException {
    Map<String, String> entries = new java.util.TreeMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        entries.put(e.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return entries;
  }

  private static int warm(String pool) {
    return json(Api.get("/api/v1/pools/" + pool))
        .getJsonObject("status")
        .getJsonArray("nodes")
        .getJsonObject(0)
        .getInt("warm");
  }

  private static List<Container> containersOf(String sandbox) {
    return Engine.docker()
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of("stevedore.sandbox", sandbox))
        .exec();
  }

  private static List<Container> sandboxContainers() {
    return Engine.docker()
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(List.of("stevedore.sandbox"))
        .exec()
        .stream()
        .filter(c -> made.contains(c.getLabels().get("stevedore.sandbox")))
        .toList();
  }

  private static Set<String> runningNames() {
    return Engine.docker().listContainersCmd().exec().stream()
        .map(c -> c.getNames()[0].substring(1))
        .collect(Collectors.toSet());
  }

  /** A new tenant, with a running quota if given. */
  private static String tenant(Integer maxRunning) {
    String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
    JsonObjectBuilder body = Json.createObjectBuilder().add("id", id);
    if (maxRunning != null) {
      body.add("maxRunning", maxRunning);
    }
    HttpResponse<String> made = Api.post("/api/v1/tenants", body.build().toString());
    assertEquals(201, made.statusCode(), made.body());
    return id;
  }

  private static String key(String tenant, String role) {
    HttpResponse<String> made =
        Api.post(
            "/api/v1/keys",
            Json.createObjectBuilder()
                .add("name", "it-" + role)
                .add("role", role.toUpperCase())
                .add("tenant", tenant)
                .build()
                .toString());
    assertEquals(201, made.statusCode(), made.body());
    return json(made).getString("key");
  }
}

package it.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.batch.BatchResource;
import dev.stevedore.client.AccessDeniedException;
import dev.stevedore.client.BatchesApi;
import dev.stevedore.client.ConflictException;
import dev.stevedore.client.InvalidRequestException;
import dev.stevedore.client.JobsApi;
import dev.stevedore.client.KeysApi;
import dev.stevedore.client.LogLine;
import dev.stevedore.client.MeApi;
import dev.stevedore.client.NodesApi;
import dev.stevedore.client.NotAuthenticatedException;
import dev.stevedore.client.NotFoundException;
import dev.stevedore.client.SandboxesApi;
import dev.stevedore.client.Stevedore;
import dev.stevedore.client.TenantsApi;
import dev.stevedore.core.FieldError;
import dev.stevedore.job.JobPage;
import dev.stevedore.job.JobResource;
import dev.stevedore.job.JobSpec;
import dev.stevedore.job.JobState;
import dev.stevedore.job.JobView;
import dev.stevedore.node.NodesResource;
import dev.stevedore.sandbox.ExecRequest;
import dev.stevedore.sandbox.ExecResult;
import dev.stevedore.sandbox.SandboxResource;
import dev.stevedore.sandbox.SandboxSpec;
import dev.stevedore.sandbox.SandboxView;
import dev.stevedore.security.ApiKeyView;
import dev.stevedore.security.KeyRequest;
import dev.stevedore.security.KeyResource;
import dev.stevedore.security.MeResource;
import dev.stevedore.security.TenantResource;
import it.support.Api;
import it.support.Ready;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client library (stevedore-client) against the running server: its interfaces are the
 * resources' routes, problems arrive as typed exceptions, and waiting and following work as a
 * caller expects.
 */
class ClientLibraryIT {

  private static Stevedore stevedore;

  @BeforeAll
  static void connect() {
    Ready.application();
    stevedore = Stevedore.connect(Api.BASE, Api.ADMIN_KEY);
  }

  @AfterAll
  static void close() {
    stevedore.close();
  }

  private static JobSpec shell(String script, Map<String, String> labels) {
    return new JobSpec(
        null,
        Api.AGENT_IMAGE,
        List.of("sh", "-c", script),
        null,
        null,
        null,
        null,
        60,
        null,
        null,
        null,
        labels,
        null,
        null);
  }

  @Test
  void theInterfacesAreTheResourcesRoutes() {
    Clients.assertMirrors(JobsApi.class, JobResource.class);
    Clients.assertMirrors(BatchesApi.class, BatchResource.class);
    Clients.assertMirrors(SandboxesApi.class, SandboxResource.class);
    Clients.assertMirrors(KeysApi.class, KeyResource.class);
    Clients.assertMirrors(TenantsApi.class, TenantResource.class);
    Clients.assertMirrors(MeApi.class, MeResource.class);
    Clients.assertMirrors(NodesApi.class, NodesResource.class);
  }

  @Test
  void followHandsOverEveryLineAsWrittenThenTheEnd() {
    JobView job =
        stevedore
            .jobs()
            .submit(
                shell("echo one; sleep 1; echo two >&2; sleep 1; echo three; exit 7", null), null);
    List<LogLine> lines = Collections.synchronizedList(new ArrayList<>());
    List<Instant> arrived = Collections.synchronizedList(new ArrayList<>());

    JobView ended =
        stevedore.follow(
            job.id(),
            line -> {
              lines.add(line);
              arrived.add(Instant.now());
            });

    assertEquals(JobState.FAILED, ended.state());
    assertEquals(7, ended.exitCode());
    assertEquals(List.of("one", "two", "three"), lines.stream().map(LogLine::text).toList());
    assertEquals(
        List.of("stdout", "stderr", "stdout"), lines.stream().map(LogLine::stream).toList());
    assertNotNull(lines.get(0).time());
    // Lines come as they are written, not all at the job's end.
    assertTrue(
        Duration.between(arrived.get(0), arrived.get(2)).toMillis() >= 1000,
        "the first line arrived a while before the last: " + arrived);
  }

  @Test
  void awaitEndAnswersAtTheEndOrWhenTheTimeIsUp() {
    JobView job = stevedore.jobs().submit(shell("sleep 300", null), null);

    JobView stillGoing = stevedore.awaitEnd(job.id(), Duration.ofSeconds(2));
    assertFalse(stillGoing.state().isFinished(), stillGoing.toString());

    stevedore.jobs().cancel(job.id());
    JobView ended = stevedore.awaitEnd(job.id(), Duration.ofSeconds(60));
    assertEquals(JobState.CANCELLED, ended.state());

    JobView quick = stevedore.jobs().submit(shell("exit 0", null), null);
    assertEquals(
        JobState.SUCCEEDED, stevedore.awaitEnd(quick.id(), Duration.ofSeconds(60)).state());
  }

  @Test
  void problemsArriveAsTypedExceptions() {
    NotFoundException missing =
        assertThrows(
            NotFoundException.class,
            () -> stevedore.jobs().get("01a25272-0000-7000-8000-000000000000"));
    assertEquals(404, missing.status());
    assertNotNull(missing.problem().title());

    JobSpec invalid =
        new JobSpec(
            null,
            Api.AGENT_IMAGE,
            List.of("true"),
            null,
            null,
            null,
            null,
            -1,
            null,
            null,
            null,
            null,
            null,
            null);
    InvalidRequestException refused =
        assertThrows(InvalidRequestException.class, () -> stevedore.jobs().submit(invalid, null));
    assertEquals(
        List.of("timeoutSeconds"), refused.fieldErrors().stream().map(FieldError::field).toList());

    JobView ended = stevedore.jobs().submit(shell("exit 0", null), null);
    stevedore.awaitEnd(ended.id(), Duration.ofSeconds(60));
    assertThrows(ConflictException.class, () -> stevedore.jobs().cancel(ended.id()));

    try (Stevedore stranger = Stevedore.connect(Api.BASE, "sdk_not-a-key-of-this-server")) {
      assertThrows(NotAuthenticatedException.class, () -> stranger.me().me());
    }
    ApiKeyView viewer =
        stevedore
            .keys()
            .create(new KeyRequest("client-viewer-" + UUID.randomUUID(), "viewer", null));
    try (Stevedore reader = Stevedore.connect(Api.BASE, viewer.key())) {
      assertEquals("viewer", reader.me().me().role());
      assertThrows(
          AccessDeniedException.class, () -> reader.jobs().submit(shell("true", null), null));
    } finally {
      stevedore.keys().revoke(viewer.id());
    }
  }

  @Test
  void inputFilesGoInAndOutputsComeBack(@TempDir Path dir) throws IOException {
    Path data = Files.writeString(dir.resolve("data.txt"), "several words of input\n");

    JobView job =
        stevedore.submit(
            shell("wc -w < /workspace/in/docs/data.txt > /workspace/out/count.txt", null),
            Map.of("docs/data.txt", data),
            null);
    assertEquals(JobState.SUCCEEDED, stevedore.awaitEnd(job.id(), Duration.ofSeconds(60)).state());

    Path zip = dir.resolve("out.zip");
    stevedore.downloadOutput(job.id(), zip);
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      ZipEntry entry = in.getNextEntry();
      assertEquals("count.txt", entry.getName());
      assertEquals("4", new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
    }
  }

  @Test
  void aRepeatedSubmissionAnswersTheFirstJobAndListingsFindIt() {
    String run = UUID.randomUUID().toString();
    JobSpec spec = shell("true", Map.of("run", run));
    String key = UUID.randomUUID().toString();

    JobView first = stevedore.jobs().submit(spec, key);
    JobView again = stevedore.jobs().submit(spec, key);
    assertEquals(first.id(), again.id());

    JobPage page =
        stevedore.jobs().list(null, null, null, List.of("run=" + run), 10, null, null, null);
    assertEquals(List.of(first.id()), page.items().stream().map(JobView::id).toList());
    assertNull(page.nextCursor());
    assertNull(page.items().get(0).history(), "lists leave the history out");
  }

  @Test
  void aSandboxTakesFilesAndCommands(@TempDir Path dir) throws IOException {
    SandboxView sandbox =
        stevedore
            .sandboxes()
            .create(new SandboxSpec(Api.AGENT_IMAGE, null, null, null, null, null, 60, 300, null));
    try {
      stevedore.upload(sandbox.id(), Files.writeString(dir.resolve("a.txt"), "hello"), "in/a.txt");
      ExecResult result =
          stevedore
              .sandboxes()
              .exec(
                  sandbox.id(),
                  new ExecRequest(
                      List.of("sh", "-c", "cat in/a.txt; tr a-z A-Z < in/a.txt > b.txt"),
                      null,
                      null,
                      null,
                      null));
      assertEquals(0, result.exitCode());
      assertEquals("hello\n", result.stdout(), "the output comes by lines");
      try (InputStream in = stevedore.sandboxes().read(sandbox.id(), "b.txt")) {
        assertEquals("HELLO", new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } finally {
      stevedore.sandboxes().delete(sandbox.id());
    }
    assertThrows(
        ConflictException.class,
        () ->
            stevedore
                .sandboxes()
                .exec(sandbox.id(), new ExecRequest(List.of("true"), null, null, null, null)));
  }
}

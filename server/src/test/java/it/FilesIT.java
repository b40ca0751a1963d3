package it;

import static it.support.Api.awaitEnd;
import static it.support.Api.get;
import static it.support.Api.json;
import static it.support.Api.logs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.support.Api;
import it.support.Multipart;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Inputs in, outputs out, and no path or archive entry reaches beyond the job's directory. */
class FilesIT {

  private static final Path DATA_DIR =
      Path.of(System.getProperty("stevedore.data.dir", "target/it-data"));

  @Test
  void inputsAreReadOnlyAndOutputsAreZippedWithoutFollowingLinks() throws IOException {
    String script =
        String.join(
            "; ",
            "cat /workspace/in/notes.txt",
            "echo csv-bytes=$(wc -c < /workspace/in/data/table.csv)",
            "touch /workspace/in/new 2>/dev/null && echo input-writable || echo input-read-only",
            "echo result > /workspace/out/result.txt",
            "mkdir -p /workspace/out/deep",
            "printf 'xyz' > /workspace/out/deep/e.bin",
            "ln -s /etc/passwd /workspace/out/passwd-link",
            "ln -s /etc /workspace/out/etc-link");
    HttpResponse<String> response =
        new Multipart()
            .spec(Api.shellJob(script))
            .file("notes.txt", "hello from a file".getBytes(StandardCharsets.UTF_8))
            .file("data/table.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8))
            .post("/api/v1/jobs");
    assertEquals(201, response.statusCode(), response.body());
    String id = json(response).getString("id");

    JsonObject job = awaitEnd(id);
    String output = logs(id);

    assertEquals("SUCCEEDED", job.getString("state"), output);
    assertTrue(output.contains("hello from a file"), output);
    assertTrue(output.contains("csv-bytes=8"), output);
    assertTrue(output.contains("input-read-only"), output);

    Map<String, byte[]> zip = unzip(download("/api/v1/jobs/" + id + "/output"));
    assertEquals(List.of("deep/e.bin", "result.txt"), zip.keySet().stream().sorted().toList());
    assertArrayEquals("xyz".getBytes(StandardCharsets.UTF_8), zip.get("deep/e.bin"));
    assertArrayEquals("result\n".getBytes(StandardCharsets.UTF_8), zip.get("result.txt"));

    JsonObject files = json(get("/api/v1/jobs/" + id + "/files"));
    assertEquals(2, files.getJsonArray("files").size(), files.toString());
    HttpResponse<String> single = get("/api/v1/jobs/" + id + "/files/deep/e.bin");
    assertEquals(200, single.statusCode());
    assertEquals("xyz", single.body());
    assertEquals(404, get("/api/v1/jobs/" + id + "/files/passwd-link").statusCode());
  }

  @Test
  void uploadedZipIsUnpackedIntoTheInputs() throws IOException {
    byte[] zip = zip(Map.of("a.txt", "first", "dir/b.txt", "second"));
    HttpResponse<String> response =
        new Multipart()
            .spec(Api.shellJob("cat /workspace/in/a.txt /workspace/in/dir/b.txt"))
            .zip(zip)
            .post("/api/v1/jobs");
    assertEquals(201, response.statusCode(), response.body());
    String id = json(response).getString("id");

    assertEquals("SUCCEEDED", awaitEnd(id).getString("state"));
    assertEquals("firstsecond\n", logs(id));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../escaped.txt", "/etc/escaped.txt", "a/../../escaped.txt", "link"})
  void zipEntriesThatCouldEscapeAreRefusedAndNothingIsWritten(String entry) throws IOException {
    byte[] zip =
        entry.equals("link")
            ? zipWithLink("escaped-link", "/etc/passwd")
            : zip(Map.of("fine.txt", "ok", entry, "escaped"));
    List<Path> before = jobDirectories();
    String newestBefore = Api.newestJobId();

    HttpResponse<String> response =
        new Multipart().spec(Api.shellJob("true")).zip(zip).post("/api/v1/jobs");

    assertEquals(400, response.statusCode(), response.body());
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    assertEquals(newestBefore, Api.newestJobId(), "no job was created");
    assertEquals(before, jobDirectories(), "no job directory was left");
    try (Stream<Path> all = Files.walk(DATA_DIR)) {
      assertTrue(all.noneMatch(p -> p.getFileName().toString().startsWith("escaped")));
    }
    assertFalse(Files.exists(Path.of("/etc/escaped.txt")));
  }

  /**
   * A callback to a target the server may not call (here the cloud metadata address) refuses the
   * submission before any of its input files is written: no job, and no job directory left.
   */
  @Test
  void aRefusedCallbackTargetIsRefusedBeforeAnyInputIsWritten() throws IOException {
    String spec = Api.shellSpecCalling("true", Api.forbiddenCallback()).build().toString();
    List<Path> before = jobDirectories();
    String newestBefore = Api.newestJobId();

    HttpResponse<String> response =
        new Multipart()
            .spec(spec)
            .file("notes.txt", "not to be kept".getBytes(StandardCharsets.UTF_8))
            .zip(zip(Map.of("a.txt", "nor this")))
            .post("/api/v1/jobs");

    assertEquals(400, response.statusCode(), response.body());
    JsonObject problem = json(response);
    assertEquals(
        "callbacks[0].url",
        problem.getJsonArray("errors").getJsonObject(0).getString("field"),
        problem.toString());
    assertEquals(newestBefore, Api.newestJobId(), "no job was created");
    assertEquals(before, jobDirectories(), "no job directory was left");
  }

  @Test
  void uploadsAboveTheLimitsAreRefused() {
    // The test server accepts 1 MiB and 20 files.
    HttpResponse<String> tooBig =
        new Multipart()
            .spec(Api.shellJob("true"))
            .file("big.bin", new byte[2 * 1024 * 1024])
            .post("/api/v1/jobs");
    assertEquals(413, tooBig.statusCode(), tooBig.body());

    Multipart many = new Multipart().spec(Api.shellJob("true"));
    for (int i = 0; i < 21; i++) {
      many.file("f" + i + ".txt", new byte[] {1});
    }
    HttpResponse<String> tooMany = many.post("/api/v1/jobs");
    assertEquals(400, tooMany.statusCode(), tooMany.body());
  }

  @Test
  void filePathsThatTraverseAreRefused() {
    String id = Api.submit(Api.shellJob("echo x > /workspace/out/x.txt")).getString("id");
    awaitEnd(id);
    for (String path :
        List.of(
            "/files/../../etc/passwd",
            "/files/..%2F..%2Fetc%2Fpasswd",
            "/files/%2e%2e/%2e%2e/etc/passwd",
            "/files/deep/../../x.txt",
            "/files/%2Fetc%2Fpasswd")) {
      HttpResponse<String> response = get("/api/v1/jobs/" + id + path);
      assertTrue(
          response.statusCode() == 400 || response.statusCode() == 404,
          path + " answered " + response.statusCode());
      assertFalse(response.body().contains("root:"), path);
    }
    assertEquals("x\n", get("/api/v1/jobs/" + id + "/files/x.txt").body());
  }

  private static List<Path> jobDirectories() throws IOException {
    Path jobs = DATA_DIR.resolve("jobs");
    try (Stream<Path> dirs = Files.list(jobs)) {
      return dirs.sorted().toList();
    }
  }

  private static byte[] download(String path) {
    HttpResponse<byte[]> response = Api.sendBytes(HttpRequest.newBuilder(Api.uri(path)).GET());
    assertEquals(200, response.statusCode());
    assertEquals("application/zip", response.headers().firstValue("Content-Type").orElse(""));
    return response.body();
  }

  static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> entries = new HashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        entries.put(entry.getName(), in.readAllBytes());
      }
    }
    return entries;
  }

  private static byte[] zip(Map<String, String> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
      for (Map.Entry<String, String> file : files.entrySet()) {
        out.putArchiveEntry(new ZipArchiveEntry(file.getKey()));
        out.write(file.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] zipWithLink(String name, String target) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
      ZipArchiveEntry link = new ZipArchiveEntry(name);
      link.setUnixMode(UnixStat.LINK_FLAG | 0777);
      out.putArchiveEntry(link);
      out.write(target.getBytes(StandardCharsets.UTF_8));
      out.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }
}

package dev.stevedore.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stevedore.core.InputTooLargeException;
import dev.stevedore.core.InvalidInputException;
import dev.stevedore.core.NotFoundException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxFilesTest {

  private static final SandboxFiles.Limits LIMITS =
      new SandboxFiles.Limits(1_000_000, 10, 1_000_000);

  @TempDir Path dir;

  @Test
  void pathsAreMadeRelativeToTheWorkspaceAndNeverLeaveIt() {
    assertEquals("", SandboxFiles.relative(null));
    assertEquals("", SandboxFiles.relative("/workspace"));
    assertEquals("a/b", SandboxFiles.relative("/workspace/a/./b/"));
    assertEquals("a/b", SandboxFiles.relative("a//b"));
    assertEquals("workspaces/x", SandboxFiles.relative("workspaces/x"));
    for (String bad : new String[] {"../etc", "a/../../b", "a/..", "a\\b", "a\u0000b"}) {
      assertThrows(InvalidInputException.class, () -> SandboxFiles.relative(bad), bad);
    }
  }

  @Test
  void readsRefuseLinksOnTheWayAndArchivesLeaveThemOut() throws IOException {
    Path work = Files.createDirectories(dir.resolve("work"));
    Files.createDirectories(work.resolve("src/deep"));
    Files.writeString(work.resolve("src/deep/a.txt"), "alpha");
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "secret");
    Files.createSymbolicLink(work.resolve("src/out-link"), outside);
    Files.createSymbolicLink(work.resolve("file-link"), outside.resolve("secret"));
    SandboxFiles files = new SandboxFiles(work, null, null);

    assertEquals("directory", files.type(""));
    assertEquals("file", files.type("src/deep/a.txt"));
    assertEquals("link", files.type("file-link"));
    assertThrows(InvalidInputException.class, () -> files.type("src/out-link/secret"));
    assertThrows(InvalidInputException.class, () -> files.list("src/out-link"));
    assertThrows(
        InvalidInputException.class,
        () -> files.readFile("file-link", new ByteArrayOutputStream()));
    assertThrows(NotFoundException.class, () -> files.type("nothing/here"));
    assertEquals(
        "[deep:directory, out-link:link]",
        files.list("src").entries().stream()
            .map(e -> e.name() + ":" + e.type())
            .toList()
            .toString());

    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    files.writeTar("", tar);
    assertEquals(
        Map.of("src/", "", "src/deep/", "", "src/deep/a.txt", "alpha"), untar(tar.toByteArray()));
    ByteArrayOutputStream one = new ByteArrayOutputStream();
    files.writeTar("src/deep", one);
    assertEquals(Map.of("deep/", "", "deep/a.txt", "alpha"), untar(one.toByteArray()));
  }

  @Test
  void inAndOutOfAPoolContainerAreReadFromTheirOwnDirectories() throws IOException {
    Path work = Files.createDirectories(dir.resolve("work"));
    Files.createDirectories(work.resolve("in"));
    Files.createDirectories(work.resolve("out"));
    Path in = Files.createDirectories(dir.resolve("in"));
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("o.txt"), "out");
    SandboxFiles files = new SandboxFiles(work, in, out);

    assertEquals(
        "[o.txt]",
        files.list("out").entries().stream().map(SandboxFiles.Entry::name).toList().toString());
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    files.writeTar("", tar);
    assertEquals(Map.of("in/", "", "out/", "", "out/o.txt", "out"), untar(tar.toByteArray()));
    assertThrows(InvalidInputException.class, () -> files.checkWritable("in/x", false));
    files.checkWritable("out/x", false);
  }

  @Test
  void anUploadedTarIsRewrittenUnderItsDirectoryOwnedByTheSandboxUser() throws IOException {
    byte[] upload = tar(Map.of("a.txt", "alpha", "d/b.txt", "beta"));
    Path archive =
        SandboxFiles.tarArchive(
            "into/here", new ByteArrayInputStream(upload), LIMITS, 65534, 65534);
    try (InputStream in = Files.newInputStream(archive);
        TarArchiveInputStream entries = new TarArchiveInputStream(in)) {
      Map<String, Long> owners = new TreeMap<>();
      for (TarArchiveEntry e = entries.getNextEntry(); e != null; e = entries.getNextEntry()) {
        owners.put(e.getName(), e.getLongUserId());
        assertEquals(0, e.getMode() & 07000, "no set-id bits");
      }
      assertEquals(
          Map.of(
              "into/",
              65534L,
              "into/here/",
              65534L,
              "into/here/a.txt",
              65534L,
              "into/here/d/b.txt",
              65534L),
          owners);
    } finally {
      Files.delete(archive);
    }
  }

  @Test
  void anUploadedTarWithALinkAnEscapeOrTooManyEntriesIsRefusedWhole() throws IOException {
    assertThrows(
        InvalidInputException.class,
        () -> SandboxFiles.tarArchive("", link("l", "/etc"), LIMITS, 1, 1));
    assertThrows(
        InvalidInputException.class,
        () -> SandboxFiles.tarArchive("", named("../x"), LIMITS, 1, 1));
    assertThrows(
        InvalidInputException.class,
        () -> SandboxFiles.tarArchive("", named("/etc/x"), LIMITS, 1, 1));
    Map<String, String> many = new TreeMap<>();
    for (int i = 0; i < 11; i++) {
      many.put("f" + i, "x");
    }
    assertThrows(
        InputTooLargeException.class,
        () -> SandboxFiles.tarArchive("", new ByteArrayInputStream(tar(many)), LIMITS, 1, 1));
    assertThrows(
        InputTooLargeException.class,
        () ->
            SandboxFiles.fileArchive(
                "f", new ByteArrayInputStream(new byte[1_000_001]), LIMITS, 1, 1));
  }

  // ---- helpers ----

  private static byte[] tar(Map<String, String> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      for (var file : new TreeMap<>(files).entrySet()) {
        byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
        entry.setSize(content.length);
        entry.setMode(04755);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static InputStream named(String name) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry entry = new TarArchiveEntry(name, true);
      entry.setSize(1);
      tar.putArchiveEntry(entry);
      tar.write('x');
      tar.closeArchiveEntry();
    }
    return new ByteArrayInputStream(bytes.toByteArray());
  }

  private static InputStream link(String name, String target) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
      entry.setLinkName(target);
      tar.putArchiveEntry(entry);
      tar.closeArchiveEntry();
    }
    return new ByteArrayInputStream(bytes.toByteArray());
  }

  private static Map<String, String> untar(byte[] archive) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(archive))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        entries.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return entries;
  }
}

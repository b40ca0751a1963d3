package dev.stevedore.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.core.JobId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputArchiveTest {

  @TempDir Path data;

  @Test
  void archivesRegularFilesAndNeverFollowsLinks() throws IOException {
    Workspaces workspaces = new Workspaces();
    workspaces.dataDir = data.toString();
    OutputArchive archive = new OutputArchive();
    archive.workspaces = workspaces;
    archive.maxBytes = 1L << 30;
    JobId id = JobId.next();
    Path secret = Files.writeString(data.resolve("secret.txt"), "host secret");
    Path secretDir = Files.createDirectories(data.resolve("secret-dir"));
    Files.writeString(secretDir.resolve("inner.txt"), "also secret");
    Path out = Files.createDirectories(workspaces.outDir(id));
    Files.writeString(out.resolve("result.txt"), "result");
    Files.createDirectories(out.resolve("sub"));
    Files.writeString(out.resolve("sub/more.txt"), "more");
    Files.createSymbolicLink(out.resolve("link.txt"), secret);
    Files.createSymbolicLink(out.resolve("linked-dir"), secretDir);

    OutputArchive.Archived archived = archive.archive(id);

    assertEquals(2, archived.files());
    assertEquals(List.of(), archived.skipped());
    List<OutputArchive.OutputFile> files = archive.list(id).orElseThrow();
    assertEquals(
        List.of(
            new OutputArchive.OutputFile("result.txt", 6),
            new OutputArchive.OutputFile("sub/more.txt", 4)),
        files);
    assertTrue(archive.has(id, "sub/more.txt"));
    assertFalse(archive.has(id, "link.txt"));
    assertFalse(archive.has(id, "linked-dir/inner.txt"));
  }

  @Test
  void deletingAJobNeverFollowsLinksOutOfIt() throws IOException {
    Workspaces workspaces = new Workspaces();
    workspaces.dataDir = data.toString();
    JobId id = JobId.next();
    Path outside = Files.createDirectories(data.resolve("outside"));
    Files.writeString(outside.resolve("keep.txt"), "keep");
    Path out = Files.createDirectories(workspaces.outDir(id));
    Files.createSymbolicLink(out.resolve("escape"), outside);

    workspaces.deleteJobFiles(id);

    assertFalse(Files.exists(workspaces.jobDir(id)));
    assertTrue(Files.exists(outside.resolve("keep.txt")));
  }

  @Test
  void entryNamesStayInsideTheArchive() {
    assertEquals("a/b.txt", OutputArchive.entryName("a/b.txt"));
    assertEquals("a/b/c", OutputArchive.entryName("a\\b/./c"));
    assertEquals("a/b", OutputArchive.entryName("a//b"));
    assertEquals(null, OutputArchive.entryName("..\\..\\x"));
    assertEquals(null, OutputArchive.entryName("a/..\\..\\x"));
    assertEquals(null, OutputArchive.entryName("\\x"));
    assertEquals(null, OutputArchive.entryName("C:\\x"));
    assertEquals(null, OutputArchive.entryName("c:x"));
    assertEquals(null, OutputArchive.entryName("bad\u0007name"));
    assertEquals(null, OutputArchive.entryName("line\nbreak"));
    assertEquals(null, OutputArchive.entryName("."));
  }

  @Test
  void filesThatWouldLeaveTheArchiveOrRepeatANameAreSkippedAndReported() throws IOException {
    Workspaces workspaces = new Workspaces();
    workspaces.dataDir = data.toString();
    OutputArchive archive = new OutputArchive();
    archive.workspaces = workspaces;
    archive.maxBytes = 1L << 30;
    JobId id = JobId.next();
    Path out = Files.createDirectories(workspaces.outDir(id));
    Files.writeString(out.resolve("..\\..\\x"), "evil");
    Files.writeString(out.resolve("a\\b"), "one");
    Files.createDirectories(out.resolve("a"));
    Files.writeString(out.resolve("a/b"), "two");
    Files.writeString(out.resolve("ok.txt"), "fine");

    OutputArchive.Archived archived = archive.archive(id);

    assertEquals(
        List.of("a/b", "ok.txt"),
        archive.list(id).orElseThrow().stream().map(OutputArchive.OutputFile::path).toList());
    assertEquals(
        List.of("'..\\\\..\\\\x' (outside the archive)", "'a\\\\b' (same name as another)"),
        archived.skipped());
    assertTrue(archived.note().startsWith("output files skipped: '..\\\\..\\\\x'"));
  }

  @Test
  void outputsOverTheCapAreNotArchived() throws IOException {
    Workspaces workspaces = new Workspaces();
    workspaces.dataDir = data.toString();
    OutputArchive archive = new OutputArchive();
    archive.workspaces = workspaces;
    archive.maxBytes = 10;
    JobId id = JobId.next();
    Path out = Files.createDirectories(workspaces.outDir(id));
    Files.writeString(out.resolve("a"), "123456");
    Files.writeString(out.resolve("b"), "123456");

    assertThrows(OutputArchive.OutputsTooLargeException.class, () -> archive.archive(id));
    assertFalse(archive.exists(id));
  }
}

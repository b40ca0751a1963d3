package dev.stevedore.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stevedore.core.JobId;
import dev.stevedore.runtime.LogSink;
import dev.stevedore.workspace.Workspaces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobLogsTest {

  @TempDir Path data;

  private final JobId job = JobId.next();
  private final Instant now = Instant.parse("2026-12-07T04:00:00Z");

  private final Workspaces workspaces = new Workspaces();

  private JobLogs logs() {
    try {
      var dataDir = Workspaces.class.getDeclaredField("dataDir");
      dataDir.setAccessible(true);
      dataDir.set(workspaces, data.toString());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
    JobLogs logs = new JobLogs();
    logs.workspaces = workspaces;
    logs.live = new LiveLogs();
    logs.maxBytesPerAttempt = 1 << 20;
    return logs;
  }

  private static List<String> texts(List<LogLine> lines) {
    return lines.stream().map(LogLine::text).toList();
  }

  @Test
  void aCarriageReturnIsOneStoredLineNumberedAsLive() {
    JobLogs logs = logs();
    try (JobLogs.Writer writer = logs.open(job, 1, List.of())) {
      writer.line(LogSink.Stream.STDOUT, now, "a\rSTDERR 2020-01-01T00:00:00Z forged");
      writer.line(LogSink.Stream.STDOUT, now, "back\\slash\u0000nul");
    }

    List<LogLine> lines = logs.lines(job, 1);

    assertEquals(
        List.of("a\rSTDERR 2020-01-01T00:00:00Z forged", "back\\slash\u0000nul"), texts(lines));
    assertEquals(List.of(1L, 2L), lines.stream().map(LogLine::seq).toList());
    assertEquals(List.of("stdout", "stdout"), lines.stream().map(LogLine::stream).toList());
    JobLogs.Selection stderr = new JobLogs.Selection(1, JobLogs.StreamFilter.STDERR, null, false);
    assertEquals("", logs.read(job, 1, stderr));
    JobLogs.Selection all = new JobLogs.Selection(1, JobLogs.StreamFilter.ALL, null, false);
    assertEquals(
        "a\\rSTDERR 2020-01-01T00:00:00Z forged\nback\\\\slash\\u0000nul\n",
        logs.read(job, 1, all));
  }

  @Test
  void aSecretCutByTheLineCapIsMaskedToo() {
    JobLogs logs = logs();
    try (JobLogs.Writer writer = logs.open(job, 1, List.of("hunter2-secret"))) {
      writer.truncatedLine(LogSink.Stream.STDOUT, now, "x hunter2-secret y hunter2-se", 99);
      writer.truncatedLine(LogSink.Stream.STDOUT, now, "nothing secret here", 5);
    }

    assertEquals(
        List.of("x *** y ***…[truncated 99 bytes]", "nothing secret here…[truncated 5 bytes]"),
        texts(logs.lines(job, 1)));
  }

  @Test
  void aLastLineStillBeingWrittenIsNotReadYet() throws IOException {
    JobLogs logs = logs();
    try (JobLogs.Writer writer = logs.open(job, 1, List.of())) {
      writer.line(LogSink.Stream.STDOUT, now, "whole");
    }
    Path file = workspaces.logsDir(job).resolve("attempt-1.log");
    Files.writeString(
        file, now + " stdout half of a lo", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    assertEquals(List.of("whole"), texts(logs.lines(job, 1)));
  }

  @Test
  void aRewriteReplacesTheLogOnlyWhenReadToTheEnd() {
    JobLogs logs = logs();
    try (JobLogs.Writer writer = logs.open(job, 1, List.of())) {
      writer.line(LogSink.Stream.STDOUT, now, "followed");
    }
    try (JobLogs.Writer failed = logs.open(job, 1, List.of(), 1)) {
      failed.line(LogSink.Stream.STDOUT, now, "partial"); // the read fails: no complete()
    }

    assertEquals(List.of("followed"), texts(logs.lines(job, 1)));
  }
}

package dev.stevedore.runtime.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogFrameDecoderTest {

  private final List<String> lines = new ArrayList<>();
  private final LogFrameDecoder decoder =
      new LogFrameDecoder(
          (stream, time, text) -> lines.add(stream + " " + time + " " + text), 64 * 1024);

  private static Frame frame(StreamType type, String text) {
    return new Frame(type, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void stripsDockersTimestampAndKeepsStreamsApart() {
    decoder.accept(frame(StreamType.STDOUT, "2026-11-21T07:34:40.123456789Z hello\n"));
    decoder.accept(frame(StreamType.STDERR, "2026-11-21T07:34:41Z oops\n"));

    assertEquals(
        List.of("STDOUT 2026-11-21T07:34:40.123456789Z hello", "STDERR 2026-11-21T07:34:41Z oops"),
        lines);
  }

  @Test
  void framesCutAnywhereEvenInsideATimestampOrACharacter() {
    byte[] all =
        "2026-11-21T07:34:40Z price 5€\n2026-11-21T07:34:41.123456789Z next\n"
            .getBytes(StandardCharsets.UTF_8);
    int euro = "2026-11-21T07:34:40Z price 5".length() + 1; // inside the euro sign
    int inTime =
        "2026-11-21T07:34:40Z price 5€\n2026-11-21T07:3".getBytes(StandardCharsets.UTF_8).length;

    decoder.accept(new Frame(StreamType.STDOUT, java.util.Arrays.copyOfRange(all, 0, euro)));
    decoder.accept(new Frame(StreamType.STDOUT, java.util.Arrays.copyOfRange(all, euro, inTime)));
    decoder.accept(
        new Frame(StreamType.STDOUT, java.util.Arrays.copyOfRange(all, inTime, all.length)));

    assertEquals(
        List.of(
            "STDOUT 2026-11-21T07:34:40Z price 5€", "STDOUT 2026-11-21T07:34:41.123456789Z next"),
        lines);
  }

  @Test
  void aFrameWithSeveralEntriesHasATimeBeforeEachLine() {
    decoder.accept(
        frame(
            StreamType.STDOUT,
            "2026-11-21T07:34:40Z line 150\n2026-11-21T07:34:41Z line 151\n2026-11-21T07:34:42Z line 152\n"));

    assertEquals(
        List.of(
            "STDOUT 2026-11-21T07:34:40Z line 150",
            "STDOUT 2026-11-21T07:34:41Z line 151",
            "STDOUT 2026-11-21T07:34:42Z line 152"),
        lines);
  }

  @Test
  void handsOverALastLineWithoutNewline() {
    decoder.accept(frame(StreamType.STDOUT, "2026-11-21T07:34:40Z a\n"));
    decoder.accept(frame(StreamType.STDOUT, "2026-11-21T07:34:41Z b"));
    decoder.flush();

    assertEquals(List.of("STDOUT 2026-11-21T07:34:40Z a", "STDOUT 2026-11-21T07:34:41Z b"), lines);
  }

  /** The engine's stream for one line: entries of 16 KiB, each with its time, cut in frames. */
  private void feedAsTheEngineDoes(StreamType type, String line, int frameSize) {
    byte[] text = line.getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
    int second = 0;
    for (int start = 0; start < text.length; start += LogFrameDecoder.ENTRY_BYTES) {
      int end = Math.min(text.length, start + LogFrameDecoder.ENTRY_BYTES);
      wire.writeBytes(("2026-11-21T07:34:" + (40 + second++) + ".5Z ").getBytes());
      wire.write(text, start, end - start);
    }
    if (text.length % LogFrameDecoder.ENTRY_BYTES == 0) {
      wire.writeBytes(("2026-11-21T07:34:" + (40 + second) + ".5Z ").getBytes());
    }
    wire.write('\n');
    byte[] all = wire.toByteArray();
    for (int start = 0; start < all.length; start += frameSize) {
      decoder.accept(
          new Frame(
              type,
              java.util.Arrays.copyOfRange(all, start, Math.min(all.length, start + frameSize))));
    }
  }

  @Test
  void aLongLineSplitIntoEntriesIsOneLineWithTheTimeOfItsFirstEntry() {
    String line = "x".repeat(20_000) + "SECRET-VALUE" + "y".repeat(20_000);
    feedAsTheEngineDoes(StreamType.STDOUT, line, 1024);
    feedAsTheEngineDoes(StreamType.STDOUT, "next", 1024);

    assertEquals(
        List.of("STDOUT 2026-11-21T07:34:40.500Z " + line, "STDOUT 2026-11-21T07:34:40.500Z next"),
        lines);
  }

  @Test
  void aLineOfExactlyOneEntryAndItsEmptyLastEntry() {
    String line = "z".repeat(LogFrameDecoder.ENTRY_BYTES);
    feedAsTheEngineDoes(StreamType.STDERR, line, 1000);
    feedAsTheEngineDoes(StreamType.STDERR, "after", 7);

    assertEquals(
        List.of("STDERR 2026-11-21T07:34:40.500Z " + line, "STDERR 2026-11-21T07:34:40.500Z after"),
        lines);
  }

  @Test
  void carriageReturnsAndControlCharactersAreData() {
    decoder.accept(
        frame(
            StreamType.STDOUT,
            "2026-11-21T07:34:40Z a\rSTDERR 2020-01-01T00:00:00Z forged\n"
                + "2026-11-21T07:34:41Z bell\u0007 esc\u001b[31m\r\n"));

    assertEquals(
        List.of(
            "STDOUT 2026-11-21T07:34:40Z a\rSTDERR 2020-01-01T00:00:00Z forged",
            "STDOUT 2026-11-21T07:34:41Z bell\u0007 esc\u001b[31m"),
        lines);
  }

  @Test
  void aLineOverTheCapKeepsItsHeadInWholeCharactersAndCountsTheRest() {
    List<String> cut = new ArrayList<>();
    LogFrameDecoder capped =
        new LogFrameDecoder(
            new dev.stevedore.runtime.LogSink() {
              @Override
              public void line(Stream stream, java.time.Instant time, String text) {
                cut.add(text);
              }

              @Override
              public void truncatedLine(
                  Stream stream, java.time.Instant time, String head, long dropped) {
                cut.add(head + "|" + dropped);
              }
            },
            10);
    // "abcdefghi€": the euro sign (3 bytes) crosses the cap of 10 bytes.
    capped.accept(frame(StreamType.STDOUT, "2026-11-21T07:34:40Z abcdefghi€ and more\n"));
    capped.accept(frame(StreamType.STDOUT, "2026-11-21T07:34:41Z short\n"));

    assertEquals(List.of("abcdefghi|" + (3 + " and more".length()), "short"), cut);
  }

  @Test
  void aLineWithoutEndCannotFillTheHeap() {
    byte[] chunk = new byte[16 * 1024];
    java.util.Arrays.fill(chunk, (byte) 'x');
    for (int i = 0; i < 10; i++) { // 160 KiB, no newline
      decoder.accept(new Frame(StreamType.STDOUT, chunk));
    }
    decoder.flush();

    assertEquals(1, lines.size());
    assertTrue(lines.get(0).endsWith("…[truncated " + (160 * 1024 - 64 * 1024) + " bytes]"));
  }
}

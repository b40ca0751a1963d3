package dev.stevedore.runtime.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogFrameDecoderTest {

  private final List<String> lines = new ArrayList<>();
  private final LogFrameDecoder decoder =
      new LogFrameDecoder((stream, time, text) -> lines.add(stream + " " + time + " " + text));

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

  @Test
  void aLineWithoutEndIsHandedOverInPiecesSoItCannotFillTheHeap() {
    byte[] chunk = new byte[16 * 1024];
    java.util.Arrays.fill(chunk, (byte) 'x');
    for (int i = 0; i < 10; i++) { // 160 KiB, no newline, as Docker would frame it
      decoder.accept(new Frame(StreamType.STDOUT, chunk));
    }

    assertEquals(2, lines.size(), "two full pieces of 64 KiB so far");
    decoder.flush();
    assertEquals(3, lines.size());
  }
}

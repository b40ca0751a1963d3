package dev.stevedore.runtime.docker;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.stevedore.runtime.LogSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Turns Docker's log stream into lines. The engine stores each line the container writes as one
 * entry, and a line longer than {@link #ENTRY_BYTES} as several entries of that size (the last
 * ending in {@code \n}); with {@code timestamps=true} each entry comes as {@code <time> <text>}.
 * The frames docker-java hands over are cut at its buffer size, not at entries (even inside a
 * timestamp or a character), so each stream is read as one sequence of bytes: a line is what ends
 * in {@code \n}; after {@link #ENTRY_BYTES} bytes without one the next entry's time is dropped and
 * its text joins the same line, which keeps the time of its first entry.
 *
 * <p>{@code \r} and other control characters are data: only {@code \n} ends a line (a {@code \r}
 * just before it is taken as part of a CRLF line end). A line longer than the cap keeps its first
 * bytes (whole characters) and the count of those dropped, so a job cannot fill the heap.
 */
final class LogFrameDecoder {

  /** The size at which the engine splits a long line into entries (its copier's buffer). */
  static final int ENTRY_BYTES = 16 * 1024;

  /** Longest timestamp Docker writes, with room to spare. */
  private static final int MAX_TIME = 40;

  private final LogSink sink;
  private final int maxLineBytes;
  private final Pending stdout = new Pending(LogSink.Stream.STDOUT);
  private final Pending stderr = new Pending(LogSink.Stream.STDERR);

  LogFrameDecoder(LogSink sink, int maxLineBytes) {
    this.sink = sink;
    this.maxLineBytes = maxLineBytes;
  }

  void accept(Frame frame) {
    Pending pending = frame.getStreamType() == StreamType.STDERR ? stderr : stdout;
    for (byte b : frame.getPayload()) {
      pending.accept(b);
    }
  }

  /** Hands over a last line that had no newline. */
  void flush() {
    stdout.emitIfAny();
    stderr.emitIfAny();
  }

  private static Instant parseTime(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** One stream's bytes: the entry's time being read, then the line's text. */
  private final class Pending {
    final LogSink.Stream stream;
    final ByteArrayOutputStream head = new ByteArrayOutputStream();
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean readingTime = true;

    /** The time of the line's first entry. */
    Instant time;

    /** Text bytes of the current entry: at {@link #ENTRY_BYTES} the next entry continues it. */
    int entryBytes;

    /** Bytes past the cap, dropped. */
    long dropped;

    /** Whether a line is under way (its first entry has been read). */
    boolean inLine;

    Pending(LogSink.Stream stream) {
      this.stream = stream;
    }

    void accept(byte b) {
      if (readingTime) {
        if (b == ' ' || b == '\n' || head.size() >= MAX_TIME) {
          Instant parsed = parseTime(head.toString(StandardCharsets.US_ASCII));
          readingTime = false;
          if (parsed == null) { // not a timestamp after all: it is text
            byte[] text = head.toByteArray();
            head.reset();
            for (byte t : text) {
              text(t);
            }
            if (b != '\n') {
              text(b);
            }
          } else if (!inLine) {
            time = parsed;
          }
          head.reset();
          inLine = true;
          if (b == '\n') {
            emit();
          }
          return;
        }
        head.write(b);
        return;
      }
      if (b == '\n') {
        emit();
        return;
      }
      text(b);
    }

    private void text(byte b) {
      if (bytes.size() < maxLineBytes) {
        bytes.write(b);
      } else {
        dropped++;
      }
      if (++entryBytes == ENTRY_BYTES) {
        entryBytes = 0;
        readingTime = true; // the engine split the line here: its next entry continues it
      }
    }

    void emit() {
      byte[] raw = bytes.toByteArray();
      int length = raw.length;
      if (dropped == 0 && length > 0 && raw[length - 1] == '\r') {
        length--; // CRLF ends the line
      }
      long lost = dropped;
      if (lost > 0) {
        int whole = wholeCharacters(raw, length);
        lost += length - whole;
        length = whole;
      }
      String text = new String(raw, 0, length, StandardCharsets.UTF_8);
      Instant at = time == null ? Instant.now() : time;
      if (lost > 0) {
        sink.truncatedLine(stream, at, text, lost);
      } else {
        sink.line(stream, at, text);
      }
      bytes.reset();
      head.reset();
      time = null;
      readingTime = true;
      entryBytes = 0;
      dropped = 0;
      inLine = false;
    }

    void emitIfAny() {
      if (head.size() > 0 && readingTime) {
        byte[] text = head.toByteArray();
        head.reset();
        readingTime = false;
        for (byte t : text) {
          text(t);
        }
      }
      if (bytes.size() > 0 || dropped > 0) {
        emit();
      }
    }
  }

  /** The length of {@code raw[0, length)} without a UTF-8 character cut at its end. */
  static int wholeCharacters(byte[] raw, int length) {
    int start = length;
    // Back up over continuation bytes (10xxxxxx) to the lead byte of the last character.
    while (start > 0 && start > length - 4 && (raw[start - 1] & 0xC0) == 0x80) {
      start--;
    }
    if (start == 0) {
      return length;
    }
    int lead = raw[start - 1] & 0xFF;
    int needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    int have = length - (start - 1);
    return have < needed ? start - 1 : length;
  }
}

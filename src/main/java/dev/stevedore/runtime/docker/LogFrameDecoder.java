package dev.stevedore.runtime.docker;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.stevedore.runtime.LogSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Turns Docker's multiplexed log frames into lines. Each frame starts with the time Docker received
 * it ({@code timestamps=true}); a long line can arrive in several frames, so bytes are kept per
 * stream until the newline, and decoded only then, whole.
 */
final class LogFrameDecoder {

  /** A line longer than this is handed over in pieces, so a job cannot fill the heap. */
  static final int MAX_LINE_BYTES = 64 * 1024;

  private final LogSink sink;
  private final Pending stdout = new Pending(LogSink.Stream.STDOUT);
  private final Pending stderr = new Pending(LogSink.Stream.STDERR);

  LogFrameDecoder(LogSink sink) {
    this.sink = sink;
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

  /**
   * One stream's bytes. Frames do not follow lines (the engine cuts its output where its buffers
   * end, even inside a timestamp), so each stream is read as one sequence of {@code <time>
   * <text>\n} lines.
   */
  private final class Pending {
    /** Longest timestamp Docker writes, with room to spare. */
    private static final int MAX_TIME = 40;

    final LogSink.Stream stream;
    final ByteArrayOutputStream head = new ByteArrayOutputStream();
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean readingTime = true;
    Instant time;

    Pending(LogSink.Stream stream) {
      this.stream = stream;
    }

    void accept(byte b) {
      if (readingTime) {
        if (b == ' ' || b == '\n' || head.size() >= MAX_TIME) {
          time = parseTime(head.toString(StandardCharsets.US_ASCII));
          readingTime = false;
          if (time == null) { // not a timestamp after all: it is text
            bytes.writeBytes(head.toByteArray());
            if (b != '\n') {
              bytes.write(b);
            }
          }
          head.reset();
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
      bytes.write(b);
      if (bytes.size() >= MAX_LINE_BYTES) {
        emit();
        readingTime = false; // the rest of the line has no time of its own
      }
    }

    void emit() {
      String text = bytes.toString(StandardCharsets.UTF_8);
      if (text.endsWith("\r")) {
        text = text.substring(0, text.length() - 1);
      }
      sink.line(stream, time == null ? Instant.now() : time, text);
      bytes.reset();
      time = null;
      readingTime = true;
    }

    void emitIfAny() {
      if (head.size() > 0 && readingTime) {
        bytes.writeBytes(head.toByteArray());
        head.reset();
      }
      if (bytes.size() > 0) {
        emit();
      }
    }
  }
}

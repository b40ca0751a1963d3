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
    byte[] payload = frame.getPayload();
    int position = 0;
    while (position < payload.length) {
      // Every log entry starts with its time; a frame may hold several entries.
      if (pending.bytes.size() == 0 || pending.atEntryStart) {
        int space = indexOf(payload, (byte) ' ', position);
        Instant time =
            space > position
                ? parseTime(
                    new String(payload, position, space - position, StandardCharsets.US_ASCII))
                : null;
        if (time != null) {
          position = space + 1;
          if (pending.time == null) {
            pending.time = time;
          }
        }
        pending.atEntryStart = false;
      }
      int newline = indexOf(payload, (byte) '\n', position);
      int end = newline < 0 ? payload.length : newline;
      pending.bytes.write(payload, position, end - position);
      if (newline >= 0) {
        pending.emit();
        position = newline + 1;
      } else {
        position = payload.length;
        if (pending.bytes.size() >= MAX_LINE_BYTES) {
          pending.emit();
        }
      }
    }
    // The next frame is a new entry: a long line's continuation carries its own time.
    pending.atEntryStart = true;
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

  private static int indexOf(byte[] bytes, byte wanted, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  private final class Pending {
    final LogSink.Stream stream;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Instant time;
    boolean atEntryStart = true;

    Pending(LogSink.Stream stream) {
      this.stream = stream;
    }

    void emit() {
      String text = bytes.toString(StandardCharsets.UTF_8);
      if (text.endsWith("\r")) {
        text = text.substring(0, text.length() - 1);
      }
      sink.line(stream, time == null ? Instant.now() : time, text);
      bytes.reset();
      time = null;
    }

    void emitIfAny() {
      if (bytes.size() > 0) {
        emit();
      }
    }
  }
}

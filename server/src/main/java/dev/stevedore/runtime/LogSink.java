package dev.stevedore.runtime;

import java.time.Instant;

/** Receives a container's output line by line, in the order it was written. */
@FunctionalInterface
public interface LogSink {

  /** Which of the container's output streams a line came from. */
  enum Stream {
    STDOUT,
    STDERR
  }

  /**
   * One whole line, without its {@code \n}; it may hold {@code \r} and other control characters.
   */
  void line(Stream stream, Instant time, String text);

  /**
   * A line longer than the configured cap: its first bytes, and how many bytes were dropped after
   * them. By default the line is handed on with a marker at its end.
   */
  default void truncatedLine(Stream stream, Instant time, String head, long droppedBytes) {
    line(stream, time, head + truncationMarker(droppedBytes));
  }

  /** What ends a line that was cut at the cap. */
  static String truncationMarker(long droppedBytes) {
    return "…[truncated " + droppedBytes + " bytes]";
  }
}

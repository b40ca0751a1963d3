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

  void line(Stream stream, Instant time, String text);
}

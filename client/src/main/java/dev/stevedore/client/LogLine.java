package dev.stevedore.client;

import java.time.Instant;

/**
 * One line of a job's log as {@link Stevedore#follow} hands it over.
 *
 * @param time when the container wrote it
 * @param stream {@code stdout} or {@code stderr}
 * @param text the line, without its end
 */
public record LogLine(Instant time, String stream, String text) {

  /** Whether the container wrote it to its standard error. */
  public boolean isStderr() {
    return "stderr".equals(stream);
  }

  /** Reads a line of the log with timestamps: {@code <time> <stream> <text>}. */
  static LogLine parse(String line) {
    int first = line.indexOf(' ');
    int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
    if (first < 0) {
      return new LogLine(null, "stdout", line);
    }
    try {
      Instant time = Instant.parse(line.substring(0, first));
      String stream = second < 0 ? line.substring(first + 1) : line.substring(first + 1, second);
      String text = second < 0 ? "" : line.substring(second + 1);
      return new LogLine(time, stream, text);
    } catch (java.time.format.DateTimeParseException e) {
      return new LogLine(null, "stdout", line);
    }
  }
}

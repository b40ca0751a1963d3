package dev.stevedore.sandbox;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** One message of a streamed exec: a line of output, the end, or why it could not end well. */
public final class ExecEvent {

  private ExecEvent() {}

  /** A line the command wrote; {@code type} is stdout or stderr. */
  @JsonbPropertyOrder({"type", "text"})
  public record Line(String type, String text) {}

  /** How the command ended: the last message. */
  @JsonbPropertyOrder({"type", "id", "exitCode", "timedOut", "oomKilled", "durationMs"})
  public record Exit(
      String type,
      String id,
      Integer exitCode,
      boolean timedOut,
      boolean oomKilled,
      long durationMs) {

    public static Exit of(ExecResult result) {
      return new Exit(
          "exit",
          result.id(),
          result.exitCode(),
          result.timedOut(),
          result.oomKilled(),
          result.durationMs());
    }
  }

  /** The command could not be run to its end (the sandbox ended, the engine failed). */
  @JsonbPropertyOrder({"type", "detail"})
  public record Failure(String type, String detail) {}
}

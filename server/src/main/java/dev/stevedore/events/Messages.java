package dev.stevedore.events;

import dev.stevedore.job.JobState;
import dev.stevedore.logs.LogLine;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;

/** The JSON messages of the WebSocket endpoints. */
public final class Messages {

  static final Jsonb JSONB = JsonbBuilder.create();

  private Messages() {}

  /** One line of a job's output. */
  @JsonbPropertyOrder({"type", "attempt", "seq", "stream", "time", "text"})
  public record Line(String type, int attempt, long seq, String stream, Instant time, String text) {
    static Line of(LogLine line) {
      return new Line("line", line.attempt(), line.seq(), line.stream(), line.time(), line.text());
    }
  }

  /** The last message of a log stream: how the job ended. */
  @JsonbPropertyOrder({"type", "jobId", "state", "attempt", "exitCode", "reason"})
  public record End(
      String type, String jobId, JobState state, int attempt, Integer exitCode, String reason) {
    End(String jobId, JobState state, int attempt, Integer exitCode, String reason) {
      this("end", jobId, state, attempt, exitCode, reason);
    }
  }

  /** A job's state changed. */
  @JsonbPropertyOrder({
    "type",
    "jobId",
    "tenant",
    "from",
    "to",
    "attempt",
    "exitCode",
    "reason",
    "at"
  })
  public record StateChange(
      String type,
      String jobId,
      String tenant,
      JobState from,
      JobState to,
      int attempt,
      Integer exitCode,
      String reason,
      Instant at) {}

  /** A sandbox became ready or ended. */
  @JsonbPropertyOrder({"type", "sandboxId", "tenant", "state", "reason", "node", "at"})
  public record SandboxEvent(
      String type,
      String sandboxId,
      String tenant,
      String state,
      String reason,
      String node,
      Instant at) {}

  /** A command in a sandbox ended. */
  @JsonbPropertyOrder({"type", "sandboxId", "execId", "exitCode", "timedOut", "durationMs"})
  public record SandboxExecEvent(
      String type,
      String sandboxId,
      String execId,
      Integer exitCode,
      boolean timedOut,
      long durationMs) {}

  /** A pool's containers changed on a node: warm, busy, starting, replaced or failed. */
  @JsonbPropertyOrder({"type", "pool", "node", "event", "warm", "busy", "starting"})
  public record PoolEvent(
      String type, String pool, String node, String event, int warm, int busy, int starting) {}

  static String json(Object message) {
    return JSONB.toJson(message);
  }
}

package dev.stevedore.sandbox;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How a command ended and what it wrote, each stream up to the server's bound.
 *
 * @param exitCode null when the sandbox ended under it
 */
@Schema(description = "How a command in a sandbox ended and what it wrote.")
@JsonbPropertyOrder({
  "id",
  "exitCode",
  "timedOut",
  "oomKilled",
  "durationMs",
  "stdout",
  "stderr",
  "stdoutTruncated",
  "stderrTruncated"
})
public record ExecResult(
    String id,
    Integer exitCode,
    @Schema(description = "Killed at its timeout; the sandbox stays usable.") boolean timedOut,
    @Schema(description = "The kernel killed a process of it for the sandbox's memory limit.")
        boolean oomKilled,
    long durationMs,
    String stdout,
    String stderr,
    @Schema(description = "stdout was longer than the server's bound and was cut there.")
        boolean stdoutTruncated,
    boolean stderrTruncated) {}

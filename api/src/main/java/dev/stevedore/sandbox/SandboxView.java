package dev.stevedore.sandbox;

import dev.stevedore.core.AuditSubject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A sandbox as the API shows it: its spec with the defaults filled in, and its latest execs. */
@Schema(description = "A sandbox, its state and its latest execs (newest first).")
@JsonbPropertyOrder({
  "id",
  "state",
  "tenant",
  "spec",
  "start",
  "node",
  "container",
  "createdAt",
  "readyAt",
  "expiresAt",
  "endedAt",
  "endReason",
  "execCount",
  "execs"
})
public record SandboxView(
    String id,
    SandboxState state,
    String tenant,
    SandboxSpec spec,
    @Schema(description = "warm: taken from its pool's warm containers; cold: started for it.")
        String start,
    String node,
    String container,
    Instant createdAt,
    Instant readyAt,
    @Schema(description = "When its maximum lifetime ends it.") Instant expiresAt,
    Instant endedAt,
    String endReason,
    long execCount,
    List<ExecView> execs)
    implements AuditSubject {

  @Override
  public String auditTarget() {
    return id;
  }

  /** One exec as recorded. */
  @JsonbPropertyOrder({"id", "command", "startedAt", "durationMs", "exitCode", "timedOut"})
  public record ExecView(
      String id,
      List<String> command,
      Instant startedAt,
      long durationMs,
      Integer exitCode,
      boolean timedOut) {}
}

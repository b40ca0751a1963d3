package dev.stevedore.node;

import dev.stevedore.core.AuditSubject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A node of the installation as its last heartbeat left it. */
@Schema(name = "Node", description = "A node of the installation, as of its last heartbeat")
@JsonbPropertyOrder({
  "name",
  "state",
  "advertisedUrl",
  "engineId",
  "version",
  "slots",
  "running",
  "loadAverage",
  "diskFreeBytes",
  "startedAt",
  "heartbeatAt"
})
public record NodeView(
    String name,
    @Schema(description = "UP, DRAINING (claims no new work) or DEAD (its heartbeat stopped)")
        State state,
    @Schema(description = "Where it answers, when configured") String advertisedUrl,
    @Schema(description = "Its Docker engine's id: nodes with the same one share an engine")
        String engineId,
    String version,
    @Schema(description = "Most jobs at once") int slots,
    @Schema(description = "Jobs running there") int running,
    @Schema(description = "CPU load over 1, 5 and 15 minutes") List<Double> loadAverage,
    @Schema(description = "Free bytes of its data directory's file system") Long diskFreeBytes,
    Instant startedAt,
    Instant heartbeatAt)
    implements AuditSubject {

  /** Where a node stands. */
  public enum State {
    UP,
    DRAINING,
    DEAD
  }

  @Override
  public String auditTarget() {
    return name;
  }
}

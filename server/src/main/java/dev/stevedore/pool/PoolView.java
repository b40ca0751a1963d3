package dev.stevedore.pool;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A pool as the API shows it: its definition and how its containers stand. */
@JsonbPropertyOrder({"name", "revision", "spec", "status", "createdAt", "updatedAt"})
public record PoolView(
    String name,
    @Schema(description = "Grows with every change of the definition.") int revision,
    PoolSpec spec,
    PoolStatus status,
    Instant createdAt,
    Instant updatedAt)
    implements dev.stevedore.core.AuditSubject {

  @Override
  public String auditTarget() {
    return name;
  }
}

package dev.stevedore.security;

import dev.stevedore.core.AuditSubject;
import java.time.Instant;

/** A tenant as the API shows it, with the quotas in force. */
public record TenantView(String id, String name, int maxRunning, int maxQueued, Instant createdAt)
    implements AuditSubject {

  @Override
  public String auditTarget() {
    return id;
  }
}

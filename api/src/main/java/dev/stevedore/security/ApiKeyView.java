package dev.stevedore.security;

import dev.stevedore.core.AuditSubject;
import dev.stevedore.core.Role;
import java.time.Instant;

/** A key as the API shows it; {@code key}, the secret, only in the answer to its creation. */
public record ApiKeyView(
    String id,
    String name,
    String tenant,
    Role role,
    String prefix,
    Instant createdAt,
    Instant revokedAt,
    String key)
    implements AuditSubject {

  @Override
  public String auditTarget() {
    return id;
  }
}

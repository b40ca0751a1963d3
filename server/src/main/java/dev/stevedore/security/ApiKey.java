package dev.stevedore.security;

import dev.stevedore.core.Role;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An API key as stored: its hash, never the key itself. */
@Entity
@Table(name = "api_key")
public class ApiKey {

  @Id private String id;

  @Column(name = "tenant_id", nullable = false)
  private String tenantId;

  @Column(nullable = false)
  private String name;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private Role role;

  @Column(name = "secret_hash", nullable = false)
  private String secretHash;

  /** The first characters of the key, to tell keys apart in listings. */
  @Column(nullable = false)
  private String prefix;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "revoked_at")
  private Instant revokedAt;

  protected ApiKey() {}

  ApiKey(String id, String tenantId, String name, Role role, String secretHash, String prefix) {
    this.id = id;
    this.tenantId = tenantId;
    this.name = name;
    this.role = role;
    this.secretHash = secretHash;
    this.prefix = prefix;
    this.createdAt = Instant.now();
  }

  void revoke() {
    if (revokedAt == null) {
      revokedAt = Instant.now();
    }
  }

  public String id() {
    return id;
  }

  public String tenantId() {
    return tenantId;
  }

  public String name() {
    return name;
  }

  public Role role() {
    return role;
  }

  public String secretHash() {
    return secretHash;
  }

  public String prefix() {
    return prefix;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant revokedAt() {
    return revokedAt;
  }
}

package dev.stevedore.sandbox;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A stored sandbox: whose it is, what it runs, where, and how it ended. */
@Entity
@Table(name = "sandbox")
public class Sandbox {

  @Id
  @Column(length = 36)
  private String id;

  @Version private long version;

  @Column(name = "tenant_id", nullable = false)
  private String tenantId;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private SandboxState state;

  @Column(name = "spec", nullable = false)
  private String specJson;

  private String pool;

  @Column(nullable = false)
  private String node;

  private String container;

  private Boolean warm;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "ready_at")
  private Instant readyAt;

  @Column(name = "ended_at")
  private Instant endedAt;

  @Column(name = "end_reason", length = 1000)
  private String endReason;

  protected Sandbox() {}

  Sandbox(String id, String tenantId, String specJson, String pool, String node, Instant now) {
    this.id = id;
    this.tenantId = tenantId;
    this.specJson = specJson;
    this.pool = pool;
    this.node = node;
    this.state = SandboxState.STARTING;
    this.createdAt = now;
  }

  void ready(String container, boolean warm, Instant now) {
    this.container = container;
    this.warm = warm;
    this.state = SandboxState.READY;
    this.readyAt = now;
  }

  void end(String reason, Instant now) {
    this.state = SandboxState.ENDED;
    this.endReason = reason.length() > 1000 ? reason.substring(0, 1000) : reason;
    this.endedAt = now;
  }

  public String id() {
    return id;
  }

  public String tenantId() {
    return tenantId;
  }

  public SandboxState state() {
    return state;
  }

  String specJson() {
    return specJson;
  }

  public String pool() {
    return pool;
  }

  public String node() {
    return node;
  }

  public String container() {
    return container;
  }

  public Boolean warm() {
    return warm;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant readyAt() {
    return readyAt;
  }

  public Instant endedAt() {
    return endedAt;
  }

  public String endReason() {
    return endReason;
  }
}

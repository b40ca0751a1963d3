package dev.stevedore.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A group of keys whose jobs, files and logs are visible only to each other. */
@Entity
@Table(name = "tenant")
public class Tenant {

  public static final String DEFAULT = "default";

  @Id private String id;

  @Version private long version;

  @Column(nullable = false)
  private String name;

  /** Null: the server's default quota. */
  @Column(name = "max_running")
  private Integer maxRunning;

  @Column(name = "max_queued")
  private Integer maxQueued;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  protected Tenant() {}

  Tenant(String id, String name, Integer maxRunning, Integer maxQueued) {
    this.id = id;
    this.name = name;
    this.maxRunning = maxRunning;
    this.maxQueued = maxQueued;
    this.createdAt = Instant.now();
  }

  void update(String name, Integer maxRunning, Integer maxQueued) {
    this.name = name;
    this.maxRunning = maxRunning;
    this.maxQueued = maxQueued;
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  public Integer maxRunning() {
    return maxRunning;
  }

  public Integer maxQueued() {
    return maxQueued;
  }

  public Instant createdAt() {
    return createdAt;
  }
}

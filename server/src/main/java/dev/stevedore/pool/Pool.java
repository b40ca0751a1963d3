package dev.stevedore.pool;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/**
 * A stored pool definition. Its revision grows with every change, and every container carries the
 * revision it was made from: a container of an older one is replaced once it is free.
 */
@Entity
@Table(name = "pool")
public class Pool {

  @Id
  @Column(length = 63)
  private String name;

  @Version private long version;

  private int revision;

  @Column(name = "spec", nullable = false)
  private String specJson;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  protected Pool() {}

  Pool(String name, String specJson, Instant now) {
    this.name = name;
    this.revision = 1;
    this.specJson = specJson;
    this.createdAt = now;
    this.updatedAt = now;
  }

  void replace(String json, Instant now) {
    this.specJson = json;
    this.revision++;
    this.updatedAt = now;
  }

  public String name() {
    return name;
  }

  public int revision() {
    return revision;
  }

  public PoolSpec spec() {
    return PoolSpecJson.read(specJson);
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant updatedAt() {
    return updatedAt;
  }
}

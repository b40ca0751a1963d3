package dev.stevedore.batch;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A batch: a job template, its items' count and how to run them; the items are rows of their own.
 */
@Entity
@Table(name = "batch")
public class Batch {

  @Id private String id;

  @Column(name = "tenant_id", nullable = false)
  private String tenantId;

  @Column(name = "submitted_by", nullable = false)
  private String submittedBy;

  private String name;

  @Column(name = "template_json", nullable = false)
  private String templateJson;

  @Column(name = "item_count", nullable = false)
  private int itemCount;

  @Column(nullable = false)
  private int parallelism;

  @Column(name = "checkpoint_every", nullable = false)
  private int checkpointEvery;

  @Column(name = "max_failed_items", nullable = false)
  private int maxFailedItems;

  @Column(name = "item_retries", nullable = false)
  private int itemRetries;

  /** The latest Jakarta Batch execution; the earlier ones belong to the same job instance. */
  @Column(name = "execution_id")
  private Long executionId;

  /** The node that runs the latest execution. */
  private String node;

  /**
   * Set by an operator's stop, cleared by a restart: tells cancelled item jobs from failed ones.
   */
  @Column(name = "stop_requested", nullable = false)
  private boolean stopRequested;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  protected Batch() {}

  Batch(
      String id,
      String tenantId,
      String submittedBy,
      String name,
      String templateJson,
      int itemCount,
      int parallelism,
      int checkpointEvery,
      int maxFailedItems,
      int itemRetries,
      Instant createdAt) {
    this.id = id;
    this.tenantId = tenantId;
    this.submittedBy = submittedBy;
    this.name = name;
    this.templateJson = templateJson;
    this.itemCount = itemCount;
    this.parallelism = parallelism;
    this.checkpointEvery = checkpointEvery;
    this.maxFailedItems = maxFailedItems;
    this.itemRetries = itemRetries;
    this.createdAt = createdAt;
  }

  public String id() {
    return id;
  }

  public String tenantId() {
    return tenantId;
  }

  public String submittedBy() {
    return submittedBy;
  }

  public String name() {
    return name;
  }

  public String templateJson() {
    return templateJson;
  }

  public int itemCount() {
    return itemCount;
  }

  public int parallelism() {
    return parallelism;
  }

  public int checkpointEvery() {
    return checkpointEvery;
  }

  public int maxFailedItems() {
    return maxFailedItems;
  }

  public int itemRetries() {
    return itemRetries;
  }

  public Long executionId() {
    return executionId;
  }

  void executionId(long executionId, String node) {
    this.executionId = executionId;
    this.node = node;
  }

  public boolean stopRequested() {
    return stopRequested;
  }

  void stopRequested(boolean stopRequested) {
    this.stopRequested = stopRequested;
  }

  public Instant createdAt() {
    return createdAt;
  }
}

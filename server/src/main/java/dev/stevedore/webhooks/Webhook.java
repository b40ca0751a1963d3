package dev.stevedore.webhooks;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** A tenant's subscription: where to send which events, and the secret to sign them with. */
@Entity
@Table(name = "webhook")
public class Webhook {

  @Id private String id;

  @Column(name = "tenant_id", nullable = false)
  private String tenantId;

  @Column(nullable = false)
  private String url;

  /** Event types, comma-separated. */
  @Column(nullable = false)
  private String events;

  @Column(name = "log_pattern")
  private String logPattern;

  @Column(nullable = false)
  private String secret;

  /** For a job's own callback: the only job it hears. */
  @Column(name = "job_id")
  private String jobId;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "deleted_at")
  private Instant deletedAt;

  protected Webhook() {}

  Webhook(
      String id,
      String tenantId,
      String url,
      Set<String> events,
      String logPattern,
      String secret) {
    this.id = id;
    this.tenantId = tenantId;
    this.url = url;
    this.events = String.join(",", events);
    this.logPattern = logPattern;
    this.secret = secret;
    this.createdAt = Instant.now();
  }

  /** A job's own callback. */
  static Webhook forJob(
      String id, String tenantId, String jobId, String url, Set<String> events, String secret) {
    Webhook webhook = new Webhook(id, tenantId, url, events, null, secret);
    webhook.jobId = jobId;
    return webhook;
  }

  /** Whether it wants events of this job. */
  boolean hears(String job) {
    return jobId == null || jobId.equals(job);
  }

  public String jobId() {
    return jobId;
  }

  void delete() {
    deletedAt = Instant.now();
  }

  public String id() {
    return id;
  }

  public String tenantId() {
    return tenantId;
  }

  public String url() {
    return url;
  }

  public Set<String> events() {
    return Arrays.stream(events.split(",")).collect(Collectors.toSet());
  }

  public String logPattern() {
    return logPattern;
  }

  public String secret() {
    return secret;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant deletedAt() {
    return deletedAt;
  }
}

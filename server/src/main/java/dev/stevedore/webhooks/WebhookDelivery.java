package dev.stevedore.webhooks;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** One event for one subscription, from the outbox until it is delivered or given up. */
@Entity
@Table(name = "webhook_delivery")
public class WebhookDelivery {

  /** Where a delivery stands. */
  public enum Status {
    PENDING,
    DELIVERED,
    FAILED
  }

  @Id
  @SequenceGenerator(
      name = "webhook_delivery_seq",
      sequenceName = "webhook_delivery_seq",
      allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "webhook_delivery_seq")
  private Long id;

  @Column(name = "webhook_id", nullable = false)
  private String webhookId;

  @Column(name = "job_id")
  private String jobId;

  @Column(name = "event_type", nullable = false)
  private String eventType;

  @Column(nullable = false)
  private String payload;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private Status status;

  private int attempts;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "next_attempt_at", nullable = false)
  private Instant nextAttemptAt;

  @Column(name = "delivered_at")
  private Instant deliveredAt;

  @Column(name = "last_status_code")
  private Integer lastStatusCode;

  @Column(name = "last_latency_ms")
  private Long lastLatencyMs;

  @Column(name = "last_error")
  private String lastError;

  protected WebhookDelivery() {}

  WebhookDelivery(String webhookId, String jobId, String eventType, String payload) {
    this.webhookId = webhookId;
    this.jobId = jobId;
    this.eventType = eventType;
    this.payload = payload;
    this.status = Status.PENDING;
    this.createdAt = Instant.now();
    this.nextAttemptAt = createdAt;
  }

  void delivered(int statusCode, long latencyMs) {
    attempts++;
    status = Status.DELIVERED;
    deliveredAt = Instant.now();
    lastStatusCode = statusCode;
    lastLatencyMs = latencyMs;
    lastError = null;
  }

  /** A failed try: another after {@code retryAt}, or none if that is past {@code giveUpAt}. */
  /** Never to be tried again: its subscription is gone. */
  void abandoned(String why) {
    status = Status.FAILED;
    lastError = why;
  }

  void failed(Integer statusCode, Long latencyMs, String error, Instant retryAt, Instant giveUpAt) {
    attempts++;
    lastStatusCode = statusCode;
    lastLatencyMs = latencyMs;
    lastError = error == null ? null : error.substring(0, Math.min(500, error.length()));
    if (retryAt.isAfter(giveUpAt)) {
      status = Status.FAILED;
    } else {
      nextAttemptAt = retryAt;
    }
  }

  public Long id() {
    return id;
  }

  public String webhookId() {
    return webhookId;
  }

  public String jobId() {
    return jobId;
  }

  public String eventType() {
    return eventType;
  }

  public String payload() {
    return payload;
  }

  public Status status() {
    return status;
  }

  public int attempts() {
    return attempts;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant nextAttemptAt() {
    return nextAttemptAt;
  }

  public Instant deliveredAt() {
    return deliveredAt;
  }

  public Integer lastStatusCode() {
    return lastStatusCode;
  }

  public Long lastLatencyMs() {
    return lastLatencyMs;
  }

  public String lastError() {
    return lastError;
  }
}

package dev.stevedore.webhooks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage of subscriptions and deliveries. Plain data access in the caller's transaction: reads
 * join it when there is one ({@code SUPPORTS}), writes need one ({@code MANDATORY}). The writes
 * that commit on their own ({@code REQUIRES_NEW}) say why.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class WebhookRepository {

  @PersistenceContext(unitName = "stevedore")
  EntityManager em;

  @Transactional(Transactional.TxType.MANDATORY)
  void insert(Webhook webhook) {
    em.persist(webhook);
  }

  /** Within the caller's transaction: the outbox row goes with the change it reports. */
  @Transactional(Transactional.TxType.MANDATORY)
  void enqueue(WebhookDelivery delivery) {
    em.persist(delivery);
  }

  /** Within the caller's transaction: a job's callbacks are stored with the job. */
  @Transactional(Transactional.TxType.MANDATORY)
  void enqueueWebhook(Webhook webhook) {
    em.persist(webhook);
  }

  /**
   * A delivery that no stored change reports (a matched log line), committed at once: the log's
   * writer runs in no transaction of the application's.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  void enqueueNow(WebhookDelivery delivery) {
    em.persist(delivery);
  }

  List<Webhook> active(String tenant) {
    return em.createQuery(
            "SELECT w FROM Webhook w WHERE w.tenantId = :tenant AND w.deletedAt IS NULL",
            Webhook.class)
        .setParameter("tenant", tenant)
        .getResultList();
  }

  List<Webhook> activeWithPatterns() {
    return em.createQuery(
            "SELECT w FROM Webhook w WHERE w.logPattern IS NOT NULL AND w.deletedAt IS NULL",
            Webhook.class)
        .getResultList();
  }

  Optional<Webhook> find(String id, Optional<String> tenant) {
    return Optional.ofNullable(em.find(Webhook.class, id))
        .filter(w -> w.deletedAt() == null && w.jobId() == null)
        .filter(w -> tenant.map(w.tenantId()::equals).orElse(true));
  }

  Optional<Webhook> findAny(String id) {
    return Optional.ofNullable(em.find(Webhook.class, id));
  }

  List<Webhook> list(Optional<String> tenant) {
    var query =
        em.createQuery(
            "SELECT w FROM Webhook w WHERE w.deletedAt IS NULL AND w.jobId IS NULL"
                + (tenant.isPresent() ? " AND w.tenantId = :tenant" : "")
                + " ORDER BY w.createdAt",
            Webhook.class);
    tenant.ifPresent(t -> query.setParameter("tenant", t));
    return query.getResultList();
  }

  /** Marks the subscription deleted and gives up its pending deliveries. */
  @Transactional(Transactional.TxType.MANDATORY)
  void delete(String id) {
    Optional.ofNullable(em.find(Webhook.class, id)).ifPresent(Webhook::delete);
    em.createQuery(
            "UPDATE WebhookDelivery d SET d.status = :failed, d.lastError = :why"
                + " WHERE d.webhookId = :id AND d.status = :pending")
        .setParameter("failed", WebhookDelivery.Status.FAILED)
        .setParameter("why", "subscription deleted")
        .setParameter("id", id)
        .setParameter("pending", WebhookDelivery.Status.PENDING)
        .executeUpdate();
  }

  List<WebhookDelivery> deliveries(String webhookId, int limit) {
    return em.createQuery(
            "SELECT d FROM WebhookDelivery d WHERE d.webhookId = :id ORDER BY d.id DESC",
            WebhookDelivery.class)
        .setParameter("id", webhookId)
        .setMaxResults(limit)
        .getResultList();
  }

  /**
   * Due deliveries that no earlier delivery of the same job to the same subscription waits before.
   */
  List<WebhookDelivery> due(int limit) {
    return em.createQuery(
            "SELECT d FROM WebhookDelivery d WHERE d.status = :pending AND d.nextAttemptAt <= :now"
                + " AND NOT EXISTS (SELECT e FROM WebhookDelivery e WHERE e.webhookId = d.webhookId"
                + " AND e.jobId = d.jobId AND e.status = :pending AND e.id < d.id)"
                + " ORDER BY d.id",
            WebhookDelivery.class)
        .setParameter("pending", WebhookDelivery.Status.PENDING)
        .setParameter("now", Instant.now())
        .setMaxResults(limit)
        .getResultList();
  }

  /**
   * Takes the delivery's next attempt for this node: moves its due time {@code lease} on, if no
   * other node did since it was read. Several nodes share the outbox; the one whose lease holds
   * sends, and a node that dies while sending leaves it due again when the lease ends.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  boolean lease(WebhookDelivery delivery, Duration lease) {
    return em.createQuery(
                "UPDATE WebhookDelivery d SET d.nextAttemptAt = :until"
                    + " WHERE d.id = :id AND d.status = :pending AND d.nextAttemptAt = :due")
            .setParameter("until", Instant.now().plus(lease))
            .setParameter("id", delivery.id())
            .setParameter("pending", WebhookDelivery.Status.PENDING)
            .setParameter("due", delivery.nextAttemptAt())
            .executeUpdate()
        == 1;
  }

  // The outcome of each attempt at a delivery is committed at once (REQUIRES_NEW): the sender's
  // pass makes many, outside any transaction, and each must stand whatever becomes of the next.

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  void abandoned(long id, String why) {
    em.find(WebhookDelivery.class, id).abandoned(why);
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  void delivered(long id, int statusCode, long latencyMs) {
    WebhookDelivery d = em.find(WebhookDelivery.class, id);
    d.delivered(statusCode, latencyMs);
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  void failed(
      long id,
      Integer statusCode,
      Long latencyMs,
      String error,
      Instant retryAt,
      Instant giveUpAt) {
    WebhookDelivery d = em.find(WebhookDelivery.class, id);
    d.failed(statusCode, latencyMs, error, retryAt, giveUpAt);
  }
}

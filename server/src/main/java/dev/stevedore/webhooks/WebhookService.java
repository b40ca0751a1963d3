package dev.stevedore.webhooks;

import dev.stevedore.core.AuditSubject;
import dev.stevedore.core.DomainException;
import dev.stevedore.core.Ids;
import dev.stevedore.core.InvalidInputException;
import dev.stevedore.core.NotFoundException;
import dev.stevedore.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Subscriptions of the caller's tenant, and their delivery history. Each use case is one
 * transaction; a refusal (a {@link DomainException}) is made before anything is written and is an
 * answer, not a fault: it neither dooms the transaction nor records a server incident.
 */
@ApplicationScoped
public class WebhookService {

  static final Set<String> EVENTS =
      Set.of(
          "job.queued",
          "job.started",
          "job.succeeded",
          "job.failed",
          "job.timed_out",
          "job.cancelled",
          "job.log");

  @Inject WebhookRepository store;
  @Inject TargetGuard guard;
  @Inject Caller caller;
  @Inject LogPatternWatcher watcher;

  /** What a client sends: the target, the event types, a pattern for job.log, a secret. */
  public record WebhookRequest(String url, List<String> events, String logPattern, String secret) {}

  /** A subscription as the API shows it; the secret only in the answer to its creation. */
  public record WebhookView(
      String id,
      String tenant,
      String url,
      Set<String> events,
      String logPattern,
      Instant createdAt,
      String secret)
      implements AuditSubject {

    @Override
    public String auditTarget() {
      return id;
    }

    static WebhookView of(Webhook w, boolean withSecret) {
      return new WebhookView(
          w.id(),
          w.tenantId(),
          w.url(),
          w.events(),
          w.logPattern(),
          w.createdAt(),
          withSecret ? w.secret() : null);
    }
  }

  /** One delivery as the history shows it. */
  public record DeliveryView(
      long id,
      String jobId,
      String eventType,
      WebhookDelivery.Status status,
      int attempts,
      Instant createdAt,
      Instant deliveredAt,
      Instant nextAttemptAt,
      Integer lastStatusCode,
      Long lastLatencyMs,
      String lastError) {}

  @Transactional(dontRollbackOn = DomainException.class)
  public WebhookView create(WebhookRequest request) {
    if (request == null || request.url() == null) {
      throw InvalidInputException.forField("url", "is required");
    }
    guard
        .refusal(request.url())
        .ifPresent(
            why -> {
              throw InvalidInputException.forField("url", why);
            });
    Set<String> events =
        new LinkedHashSet<>(request.events() == null ? List.of() : request.events());
    if (events.isEmpty() || !EVENTS.containsAll(events)) {
      throw InvalidInputException.forField("events", "must name some of " + EVENTS);
    }
    String pattern = request.logPattern();
    if (events.contains("job.log")) {
      if (pattern == null || pattern.isEmpty() || pattern.length() > 500) {
        throw InvalidInputException.forField(
            "logPattern", "job.log needs a pattern of 1 to 500 characters");
      }
      try {
        LogPatternWatcher.compile(pattern);
      } catch (com.google.re2j.PatternSyntaxException e) {
        throw InvalidInputException.forField(
            "logPattern", "not a regular expression (RE2 syntax): " + e.getDescription());
      }
    } else if (pattern != null) {
      throw InvalidInputException.forField("logPattern", "only with the job.log event");
    }
    String secret = request.secret() == null ? Signatures.newSecret() : request.secret();
    if (!Signatures.isValidSecret(secret)) {
      throw InvalidInputException.forField(
          "secret", "must be whsec_ and at least 16 bytes in base64");
    }
    Webhook webhook =
        new Webhook(Ids.next(), caller.tenantId(), request.url(), events, pattern, secret);
    store.insert(webhook);
    watcher.refresh(); // reads the subscriptions in this transaction: the new one with them
    return WebhookView.of(webhook, true);
  }

  @Transactional(dontRollbackOn = DomainException.class)
  public List<WebhookView> list() {
    return store.list(caller.tenantScope()).stream().map(w -> WebhookView.of(w, false)).toList();
  }

  @Transactional(dontRollbackOn = DomainException.class)
  public void delete(String id) {
    visible(id);
    store.delete(id);
    watcher.refresh();
  }

  @Transactional(dontRollbackOn = DomainException.class)
  public List<DeliveryView> deliveries(String id) {
    visible(id);
    return store.deliveries(id, 200).stream()
        .map(
            d ->
                new DeliveryView(
                    d.id(),
                    d.jobId(),
                    d.eventType(),
                    d.status(),
                    d.attempts(),
                    d.createdAt(),
                    d.deliveredAt(),
                    d.status() == WebhookDelivery.Status.PENDING ? d.nextAttemptAt() : null,
                    d.lastStatusCode(),
                    d.lastLatencyMs(),
                    d.lastError()))
        .toList();
  }

  private Webhook visible(String id) {
    return store
        .find(id, caller.tenantScope())
        .orElseThrow(() -> new NotFoundException("webhook", "There is no webhook " + id));
  }
}

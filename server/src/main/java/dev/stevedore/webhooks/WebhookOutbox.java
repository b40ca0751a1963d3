package dev.stevedore.webhooks;

import dev.stevedore.core.Ids;
import dev.stevedore.core.InvalidInputException;
import dev.stevedore.job.JobState;
import dev.stevedore.job.JobStateChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.Map;

/**
 * Writes a delivery for every subscription that wants a state change, inside the transaction that
 * stores the change: the change and its deliveries are committed together or not at all.
 */
@ApplicationScoped
public class WebhookOutbox {

  static final Jsonb JSONB = JsonbBuilder.create();

  private static final Map<JobState, String> TYPES =
      Map.of(
          JobState.QUEUED, "job.queued",
          JobState.RUNNING, "job.started",
          JobState.SUCCEEDED, "job.succeeded",
          JobState.FAILED, "job.failed",
          JobState.TIMED_OUT, "job.timed_out",
          JobState.CANCELLED, "job.cancelled");

  @Inject WebhookRepository store;
  @Inject TargetGuard guard;

  /**
   * Refuses a job (400) whose own callbacks are not fit: a target the guard refuses, a malformed
   * secret, an unknown event.
   */
  void onJobSpecChecking(@Observes dev.stevedore.job.JobSpecChecking checking) {
    var callbacks = checking.spec().callbacks();
    if (callbacks == null) {
      return;
    }
    for (int i = 0; i < callbacks.size(); i++) {
      var callback = callbacks.get(i);
      String field = "callbacks[" + i + "]";
      guard
          .refusal(callback.url())
          .ifPresent(
              why -> {
                throw InvalidInputException.forField(field + ".url", why);
              });
      if (!Signatures.isValidSecret(callback.secret())) {
        throw InvalidInputException.forField(
            field + ".secret", "must be whsec_ and at least 16 bytes in base64");
      }
      if (!TYPES.values().containsAll(events(callback))) {
        throw InvalidInputException.forField(
            field + ".events", "must name some of " + TYPES.values());
      }
    }
  }

  /** Stores a new job's own callbacks with it, checked already ({@link #onJobSpecChecking}). */
  void onJobCreating(@Observes dev.stevedore.job.JobCreating creating) {
    var callbacks = creating.spec().callbacks();
    if (callbacks == null) {
      return;
    }
    for (var callback : callbacks) {
      store.enqueueWebhook(
          Webhook.forJob(
              Ids.next(),
              creating.tenant(),
              creating.jobId().value(),
              callback.url(),
              events(callback),
              callback.secret()));
    }
  }

  private static java.util.Set<String> events(dev.stevedore.job.JobSpec.Callback callback) {
    return callback.events() == null || callback.events().isEmpty()
        ? java.util.Set.copyOf(TYPES.values())
        : new java.util.LinkedHashSet<>(callback.events());
  }

  /** The body of a state-change delivery. */
  @JsonbPropertyOrder({"type", "timestamp", "data"})
  public record Event(String type, Instant timestamp, Object data) {}

  /** What a state-change event says. */
  @JsonbPropertyOrder({"jobId", "tenant", "from", "to", "attempt", "exitCode", "reason"})
  public record StateData(
      String jobId,
      String tenant,
      JobState from,
      JobState to,
      int attempt,
      Integer exitCode,
      String reason) {}

  void onStateChange(@Observes JobStateChanged change) {
    String type = TYPES.get(change.to());
    if (type == null) {
      return;
    }
    String body = null;
    for (Webhook webhook : store.active(change.tenant())) {
      if (webhook.events().contains(type) && webhook.hears(change.jobId().value())) {
        if (body == null) {
          body =
              JSONB.toJson(
                  new Event(
                      type,
                      change.at(),
                      new StateData(
                          change.jobId().value(),
                          change.tenant(),
                          change.from(),
                          change.to(),
                          change.attempt(),
                          change.exitCode(),
                          change.reason())));
        }
        store.enqueue(new WebhookDelivery(webhook.id(), change.jobId().value(), type, body));
      }
    }
  }
}

package dev.stevedore.webhooks;

import dev.stevedore.core.LogText;
import dev.stevedore.core.Schedules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Delivers the outbox: due deliveries in order, one at a time per subscription and job, each
 * signed, with connect and read timeouts, no redirects, and at most 64 KiB of the answer read (and
 * never shown). A failed try is repeated after 2, 4, 8 … seconds (at most an hour apart) until the
 * delivery is older than the configured age, then it is marked failed.
 */
@ApplicationScoped
public class WebhookSender {

  private static final int MAX_ANSWER_BYTES = 64 * 1024;

  @Inject WebhookRepository store;
  @Inject TargetGuard guard;
  @Inject MetricRegistry metrics;

  private static final Metadata TRIES =
      Metadata.builder()
          .withName("stevedore.webhooks.tries")
          .withDescription("Webhook delivery tries, by outcome (delivered, failed)")
          .build();

  @Inject
  @ConfigProperty(name = "stevedore.webhooks.max-age-hours")
  long maxAgeHours;

  @Inject Schedules schedules;

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  /** Delivers what is due every second. */
  public void start() {
    schedules.withFixedDelay(
        "Webhook delivery pass", Duration.ofSeconds(1), Duration.ofSeconds(1), this::sendDue);
  }

  /** Longer than one try may take (its connect and read timeouts): one node sends each try. */
  private static final Duration LEASE = Duration.ofSeconds(120);

  private void sendDue() {
    for (WebhookDelivery delivery : store.due(50)) {
      if (store.lease(delivery, LEASE)) {
        send(delivery);
      }
    }
  }

  private void send(WebhookDelivery delivery) {
    Webhook webhook = store.findAny(delivery.webhookId()).orElse(null);
    if (webhook == null || webhook.deletedAt() != null) {
      // Left pending it would be picked again every pass and, in numbers, crowd out the rest.
      store.abandoned(delivery.id(), "subscription deleted");
      return;
    }
    Instant giveUpAt = delivery.createdAt().plus(Duration.ofHours(maxAgeHours));
    Instant retryAt =
        Instant.now().plusSeconds(Math.min(3600, 1L << Math.min(delivery.attempts() + 1, 12)));
    var refusal = guard.refusal(webhook.url());
    if (refusal.isPresent()) {
      store.failed(
          delivery.id(), null, null, "target refused: " + refusal.get(), retryAt, giveUpAt);
      countTry("failed");
      return;
    }
    String id = "msg_" + delivery.id();
    long timestamp = Instant.now().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(webhook.url()))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("webhook-id", id)
            .header("webhook-timestamp", Long.toString(timestamp))
            .header(
                "webhook-signature",
                Signatures.sign(webhook.secret(), id, timestamp, delivery.payload()))
            .POST(HttpRequest.BodyPublishers.ofString(delivery.payload()))
            .build();
    long started = System.nanoTime();
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream answer = response.body()) {
        answer.readNBytes(MAX_ANSWER_BYTES); // read a little, keep nothing
      }
      long latency = (System.nanoTime() - started) / 1_000_000;
      if (response.statusCode() / 100 == 2) {
        store.delivered(delivery.id(), response.statusCode(), latency);
        countTry("delivered");
      } else {
        store.failed(
            delivery.id(),
            response.statusCode(),
            latency,
            "answered " + response.statusCode(),
            retryAt,
            giveUpAt);
        countTry("failed");
      }
    } catch (IOException e) {
      store.failed(
          delivery.id(),
          null,
          null,
          LogText.escape(String.valueOf(e.getMessage())),
          retryAt,
          giveUpAt);
      countTry("failed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void countTry(String outcome) {
    metrics.counter(TRIES, new Tag("outcome", outcome)).inc();
  }
}

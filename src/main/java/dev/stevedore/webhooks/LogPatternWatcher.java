package dev.stevedore.webhooks;

import dev.stevedore.job.Job;
import dev.stevedore.job.JobId;
import dev.stevedore.job.JobRepository;
import dev.stevedore.logs.LiveLogs;
import dev.stevedore.logs.LogLine;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Fires {@code job.log} deliveries: every stored output line of a job is matched against the
 * patterns of its tenant's subscriptions, once per line.
 */
@ApplicationScoped
public class LogPatternWatcher {

  @Inject LiveLogs live;
  @Inject WebhookStore store;
  @Inject JobRepository jobs;

  private volatile List<Subscription> subscriptions = List.of();
  private final Map<JobId, String> tenants = new ConcurrentHashMap<>();

  private record Subscription(String webhookId, String tenant, Pattern pattern) {}

  /** The body's data of a log event. */
  @JsonbPropertyOrder({"jobId", "attempt", "seq", "stream", "time", "text"})
  public record LineData(
      String jobId, int attempt, long seq, String stream, Instant time, String text) {}

  @PostConstruct
  void init() {
    live.watchAll(this::line);
  }

  /** Reads the subscriptions with patterns again, after one was made or deleted. */
  public void refresh() {
    subscriptions =
        store.activeWithPatterns().stream()
            .map(w -> new Subscription(w.id(), w.tenantId(), Pattern.compile(w.logPattern())))
            .toList();
  }

  private void line(JobId job, LogLine line) {
    List<Subscription> current = subscriptions;
    if (current.isEmpty()) {
      return;
    }
    String tenant = tenants.computeIfAbsent(job, id -> jobs.find(id).map(Job::tenantId).orElse(""));
    for (Subscription subscription : current) {
      if (subscription.tenant().equals(tenant)
          && subscription.pattern().matcher(line.text()).find()) {
        String body =
            WebhookOutbox.JSONB.toJson(
                new WebhookOutbox.Event(
                    "job.log",
                    line.time(),
                    new LineData(
                        job.value(),
                        line.attempt(),
                        line.seq(),
                        line.stream(),
                        line.time(),
                        line.text())));
        store.enqueueNow(
            new WebhookDelivery(subscription.webhookId(), job.value(), "job.log", body));
      }
    }
  }
}

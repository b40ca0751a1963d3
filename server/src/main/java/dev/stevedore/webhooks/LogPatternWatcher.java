package dev.stevedore.webhooks;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.stevedore.core.JobId;
import dev.stevedore.core.LogText;
import dev.stevedore.job.Job;
import dev.stevedore.job.JobRepository;
import dev.stevedore.logs.LiveLogs;
import dev.stevedore.logs.LogLine;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fires {@code job.log} deliveries: every stored output line of a job is matched against the
 * patterns of its tenant's subscriptions, once per line.
 *
 * <p>Patterns are RE2 expressions (RE2/J): matching takes time linear in the line's length,
 * whatever the pattern, so a pattern such as {@code (.*a){12}$} cannot stall anything; lines are
 * capped in length ({@code stevedore.logs.max-line-bytes}) and patterns at 500 characters, which
 * bounds the time per line. Matching happens off the thread that writes the log: lines wait in a
 * bounded queue and one task at a time drains it, in order; when it falls further behind than the
 * queue holds, lines are not matched and the server log says how many.
 */
@ApplicationScoped
public class LogPatternWatcher {

  private static final Logger LOG = Logger.getLogger(LogPatternWatcher.class.getName());

  /** Lines that may wait to be matched. */
  static final int QUEUE = 10_000;

  /** Longest time one pattern may take on one line; a line that takes longer is not matched. */
  static final Duration PER_LINE = Duration.ofMillis(100);

  @Inject LiveLogs live;
  @Inject WebhookRepository store;
  @Inject JobRepository jobs;

  @Resource ManagedExecutorService executor;

  private volatile List<Subscription> subscriptions = List.of();
  private final Map<JobId, String> tenants = new ConcurrentHashMap<>();
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicLong dropped = new AtomicLong();

  private record Subscription(String webhookId, String tenant, Pattern pattern) {}

  private record Pending(JobId job, LogLine line) {}

  /** The body's data of a log event. */
  @JsonbPropertyOrder({"jobId", "attempt", "seq", "stream", "time", "text"})
  public record LineData(
      String jobId, int attempt, long seq, String stream, Instant time, String text) {}

  /** A subscription's pattern, compiled; a {@link PatternSyntaxException} if it is not RE2. */
  public static Pattern compile(String pattern) {
    return Pattern.compile(pattern);
  }

  /**
   * Whether the pattern is found in the text, or empty if that takes longer than {@code bound}: the
   * matcher reads the text through a view that gives up past the deadline.
   */
  static Optional<Boolean> find(Pattern pattern, String text, Duration bound) {
    try {
      return Optional.of(
          pattern.matcher(new Bounded(text, System.nanoTime() + bound.toNanos())).find());
    } catch (Bounded.Expired e) {
      return Optional.empty();
    }
  }

  /**
   * Text that throws {@link Expired} when read past its deadline; the clock is read every 4,096
   * characters. One instance serves one match on one thread.
   */
  private static final class Bounded implements CharSequence {
    static final class Expired extends RuntimeException {
      private static final long serialVersionUID = 1L;

      Expired() {
        super(null, null, false, false);
      }
    }

    private final String text;
    private final long deadline;
    private int reads;

    Bounded(String text, long deadline) {
      this.text = text;
      this.deadline = deadline;
    }

    @Override
    public char charAt(int index) {
      if ((++reads & 0xFFF) == 0 && System.nanoTime() > deadline) {
        throw new Expired();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  @PostConstruct
  void init() {
    live.watchAll(this::line);
  }

  /** Reads the subscriptions with patterns again, after one was made or deleted. */
  public void refresh() {
    subscriptions =
        store.activeWithPatterns().stream()
            .map(
                w -> {
                  try {
                    return new Subscription(w.id(), w.tenantId(), compile(w.logPattern()));
                  } catch (PatternSyntaxException e) { // stored before patterns were RE2
                    LOG.warning(
                        "Webhook "
                            + w.id()
                            + " has a log pattern that is not RE2; it matches nothing: "
                            + LogText.escape(e.getDescription()));
                    return null;
                  }
                })
            .filter(java.util.Objects::nonNull)
            .toList();
  }

  /** On the log-writing thread: only hands the line over. */
  private void line(JobId job, LogLine line) {
    if (subscriptions.isEmpty()) {
      return;
    }
    if (!queue.offer(new Pending(job, line))) {
      if (dropped.getAndIncrement() % QUEUE == 0) {
        LOG.warning(
            "Log pattern matching is behind; lines are not matched (so far: " + dropped + ")");
      }
      return;
    }
    if (draining.compareAndSet(false, true)) {
      executor.execute(this::drain);
    }
  }

  private void drain() {
    try {
      for (Pending next; (next = queue.poll()) != null; ) {
        try {
          match(next.job(), next.line());
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "Matching a log line of job " + next.job() + " failed", e);
        }
      }
    } finally {
      draining.set(false);
    }
    // A line offered after the last poll but before the flag dropped is not left behind.
    if (!queue.isEmpty() && draining.compareAndSet(false, true)) {
      executor.execute(this::drain);
    }
  }

  private void match(JobId job, LogLine line) {
    List<Subscription> current = subscriptions;
    if (current.isEmpty()) {
      return;
    }
    String tenant = tenants.computeIfAbsent(job, id -> jobs.find(id).map(Job::tenantId).orElse(""));
    for (Subscription subscription : current) {
      if (!subscription.tenant().equals(tenant)) {
        continue;
      }
      Optional<Boolean> found = find(subscription.pattern(), line.text(), PER_LINE);
      if (found.isEmpty()) {
        LOG.warning(
            "Webhook "
                + subscription.webhookId()
                + ": line "
                + line.seq()
                + " of job "
                + job
                + " took longer than "
                + PER_LINE.toMillis()
                + " ms to match; it is not matched");
      }
      if (found.orElse(false)) {
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

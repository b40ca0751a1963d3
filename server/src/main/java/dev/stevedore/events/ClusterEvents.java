package dev.stevedore.events;

import dev.stevedore.core.JobId;
import dev.stevedore.core.NodeIdentity;
import dev.stevedore.db.DatabaseKind;
import dev.stevedore.dispatch.Dispatcher;
import dev.stevedore.job.JobState;
import dev.stevedore.job.JobStateChanged;
import dev.stevedore.sandbox.SandboxChanged;
import dev.stevedore.sandbox.SandboxState;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Carries job and sandbox state changes between the nodes of one PostgreSQL database, with {@code
 * LISTEN/NOTIFY}: each node tells the others what changed on it once it has committed, and hands
 * what the others tell to its own WebSocket streams (event listeners, the end of a log stream) and
 * to its dispatcher (a job queued on another node may start here). The stored state stays the
 * truth: a notification missed while a node reconnects costs a stream its event, never a job its
 * state; the log streams of jobs on other nodes read their state again every few seconds anyway.
 */
@ApplicationScoped
public class ClusterEvents {

  private static final Logger LOG = Logger.getLogger(ClusterEvents.class.getName());
  private static final String CHANNEL = "stevedore_events";
  private static final Jsonb JSON = JsonbBuilder.create();

  /** PostgreSQL takes payloads below 8000 bytes: a long reason is cut well before. */
  private static final int MAX_REASON = 1000;

  /** How long a listener whose connection failed waits before it connects again. */
  private static final Duration RECONNECT_AFTER = Duration.ofSeconds(2);

  @Resource(lookup = "jdbc/stevedore")
  DataSource dataSource;

  /**
   * The listener's connection is its own: a shared one would go back to the pool between two uses,
   * and the registration with it.
   */
  @Resource(lookup = "jdbc/stevedore", shareable = false)
  DataSource unshared;

  @Resource ManagedThreadFactory threads;

  @Resource ManagedExecutorService executor;
  @Inject DatabaseKind database;
  @Inject NodeIdentity node;
  @Inject StreamHub hub;
  @Inject Dispatcher dispatcher;

  private final Queue<String> outgoing = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean sending = new AtomicBoolean();
  private volatile boolean stopped;
  private Thread listener;

  /** What goes over the channel: a job's or a sandbox's change, and the node it happened on. */
  public record Wire(
      String node,
      String kind,
      String id,
      String tenant,
      String from,
      String to,
      int attempt,
      Integer exitCode,
      String reason,
      Instant at,
      Instant since,
      boolean terminal) {}

  /** Listens from now on, on PostgreSQL; H2 serves one node, which has nobody to tell. */
  public synchronized void start() {
    if (database.isPostgres() && listener == null) {
      listener = threads.newThread(this::listen);
      listener.setName("stevedore-cluster-events");
      listener.setDaemon(true);
      listener.start();
    }
  }

  void onStateChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobStateChanged change) {
    publish(
        new Wire(
            node.name(),
            "job",
            change.jobId().value(),
            change.tenant(),
            change.from() == null ? null : change.from().name(),
            change.to().name(),
            change.attempt(),
            change.exitCode(),
            cut(change.reason()),
            change.at(),
            change.since(),
            change.terminal()));
  }

  void onSandboxChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) SandboxChanged change) {
    publish(
        new Wire(
            node.name(),
            "sandbox",
            change.sandbox(),
            change.tenant(),
            null,
            change.state().name(),
            0,
            null,
            cut(change.reason()),
            change.at(),
            null,
            false));
  }

  private void publish(Wire wire) {
    if (!database.isPostgres()) {
      return;
    }
    outgoing.add(JSON.toJson(wire));
    if (sending.compareAndSet(false, true)) {
      executor.execute(this::send);
    }
  }

  /** Sends what waits, in one statement per batch, until nothing waits. */
  private void send() {
    try {
      while (true) {
        List<String> batch = new ArrayList<>();
        for (String next; batch.size() < 500 && (next = outgoing.poll()) != null; ) {
          batch.add(next);
        }
        if (batch.isEmpty()) {
          return;
        }
        try (Connection connection = dataSource.getConnection();
            PreparedStatement notify =
                connection.prepareStatement(
                    "SELECT pg_notify(?, payload) FROM unnest(?) AS payload")) {
          Array payloads = connection.createArrayOf("text", batch.toArray());
          notify.setString(1, CHANNEL);
          notify.setArray(2, payloads);
          notify.executeQuery().close();
        } catch (SQLException e) {
          LOG.warning(
              "Could not tell the other nodes of " + batch.size() + " changes: " + e.getMessage());
        }
      }
    } finally {
      sending.set(false);
      if (!outgoing.isEmpty() && sending.compareAndSet(false, true)) {
        executor.execute(this::send); // offered while this run was finishing
      }
    }
  }

  /**
   * Waits for notifications on a connection of its own, all the time the server runs, and connects
   * again after a failure (the database restarted, say).
   */
  private void listen() {
    boolean failed = false;
    while (!stopped) {
      try (Connection connection = unshared.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("LISTEN " + CHANNEL);
        PGConnection notifications = connection.unwrap(PGConnection.class);
        if (failed) {
          LOG.info("Listening to the other nodes' events again");
          failed = false;
        }
        while (!stopped) {
          PGNotification[] received = notifications.getNotifications(1000);
          if (received != null) {
            for (PGNotification notification : received) {
              receive(notification.getParameter());
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (stopped) {
          return;
        }
        if (!failed) {
          LOG.warning("Lost the other nodes' events; connecting again: " + e.getMessage());
          failed = true;
        }
        try {
          Thread.sleep(RECONNECT_AFTER.toMillis()); // the database is away: no busy retries
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private void receive(String payload) {
    Wire wire;
    try {
      wire = JSON.fromJson(payload, Wire.class);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Ignoring a notification that is not an event: " + payload, e);
      return;
    }
    if (node.name().equals(wire.node())) {
      return; // this node's own, told here already
    }
    if ("job".equals(wire.kind())) {
      JobStateChanged change =
          new JobStateChanged(
              new JobId(wire.id()),
              wire.tenant(),
              wire.from() == null ? null : JobState.valueOf(wire.from()),
              JobState.valueOf(wire.to()),
              wire.attempt(),
              wire.exitCode(),
              wire.reason(),
              wire.at(),
              wire.since() == null ? wire.at() : wire.since(),
              wire.terminal());
      hub.tell(change);
      if (change.to() == JobState.QUEUED) {
        dispatcher.wake(); // sent to another node, it may start here
      }
    } else if ("sandbox".equals(wire.kind())) {
      hub.tell(
          new SandboxChanged(
              wire.id(),
              wire.tenant(),
              SandboxState.valueOf(wire.to()),
              wire.reason(),
              wire.node(),
              wire.at()));
    }
  }

  private static String cut(String reason) {
    return reason == null || reason.length() <= MAX_REASON
        ? reason
        : reason.substring(0, MAX_REASON - 1) + "…";
  }

  @PreDestroy
  void stop() {
    stopped = true; // the listener's wait ends within a second
  }
}

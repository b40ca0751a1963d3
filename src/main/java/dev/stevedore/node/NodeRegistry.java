package dev.stevedore.node;

import dev.stevedore.core.Schedules;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The live nodes of this installation, one row each in the {@code node} table: its name, the
 * running server that holds it, when that started and its last heartbeat. A server holds its name
 * while it runs and gives it back when it stops cleanly.
 */
@ApplicationScoped
public class NodeRegistry {

  private static final Logger LOG = Logger.getLogger(NodeRegistry.class.getName());

  @Resource(lookup = "jdbc/stevedore")
  DataSource dataSource;

  @Inject Schedules schedules;

  @Inject
  @ConfigProperty(name = "stevedore.node.heartbeat-seconds")
  int heartbeatSeconds;

  private final String instanceId = UUID.randomUUID().toString();
  private String name;
  private Schedules.Task heartbeat;
  private volatile boolean lost;

  /** This server's instance: a new one at every start. */
  public String instanceId() {
    return instanceId;
  }

  /**
   * Takes the node name for this server and starts its heartbeat; throws {@link
   * IllegalStateException} saying why if another live server holds it.
   */
  public synchronized void claim(String nodeName) {
    Duration interval = Duration.ofSeconds(Math.max(1, heartbeatSeconds));
    Optional<NodeClaim.Holder> held = read(nodeName);
    NodeClaim.Verdict verdict =
        NodeClaim.first(held, instanceId, Instant.now(), interval.multipliedBy(3));
    if (verdict == NodeClaim.Verdict.WATCH) {
      LOG.info(
          "Node name "
              + nodeName
              + " has a recent heartbeat; watching whether its holder is still alive");
      sleep(interval.multipliedBy(2).plusSeconds(1));
      verdict = NodeClaim.afterWatching(held.get(), read(nodeName));
    }
    if (verdict == NodeClaim.Verdict.REFUSE || !take(nodeName, held)) {
      throw new IllegalStateException(
          "Node name "
              + nodeName
              + " is held by another running server of this installation (its heartbeat is"
              + " fresh). Two live nodes must not share a name: each would take the other's"
              + " containers for its own. Give this server another name (stevedore.node.name) or"
              + " stop the other one.");
    }
    name = nodeName;
    heartbeat = schedules.withFixedDelay("Node heartbeat", interval, interval, this::beat);
  }

  /** Gives the name back on a clean shutdown: a restart need not wait for it. */
  @PreDestroy
  synchronized void release() {
    if (heartbeat != null) {
      heartbeat.cancel(); // no beat after the name is given back
    }
    if (name == null) {
      return;
    }
    try (Connection connection = connection();
        PreparedStatement delete =
            connection.prepareStatement("DELETE FROM node WHERE name = ? AND instance_id = ?")) {
      delete.setString(1, name);
      delete.setString(2, instanceId);
      delete.executeUpdate();
    } catch (SQLException | RuntimeException e) {
      LOG.warning("Could not release node name " + name + ": " + e.getMessage());
    }
  }

  private void beat() {
    try (Connection connection = connection();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE node SET heartbeat_at = ? WHERE name = ? AND instance_id = ?")) {
      update.setObject(1, now());
      update.setString(2, name);
      update.setString(3, instanceId);
      if (update.executeUpdate() == 0 && !lost) {
        lost = true;
        LOG.severe(
            "Node name "
                + name
                + " is no longer held by this server: another server took it over. Stop one of"
                + " them: two live nodes must not share a name.");
      }
    } catch (SQLException | RuntimeException e) {
      LOG.warning("Node heartbeat failed; the next one tries again: " + e.getMessage());
    }
  }

  /** Inserts or takes over the row; false if another server changed it meanwhile. */
  private boolean take(String nodeName, Optional<NodeClaim.Holder> held) {
    try (Connection connection = connection()) {
      if (held.isEmpty() || read(nodeName).isEmpty()) {
        try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO node (name, instance_id, started_at, heartbeat_at)"
                    + " VALUES (?, ?, ?, ?)")) {
          insert.setString(1, nodeName);
          insert.setString(2, instanceId);
          insert.setObject(3, now());
          insert.setObject(4, now());
          insert.executeUpdate();
          return true;
        } catch (SQLException raced) {
          return false; // another server inserted it first
        }
      }
      try (PreparedStatement update =
          connection.prepareStatement(
              "UPDATE node SET instance_id = ?, started_at = ?, heartbeat_at = ?"
                  + " WHERE name = ? AND instance_id = ?")) {
        update.setString(1, instanceId);
        update.setObject(2, now());
        update.setObject(3, now());
        update.setString(4, nodeName);
        update.setString(5, held.get().instanceId());
        return update.executeUpdate() == 1;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot record node " + nodeName, e);
    }
  }

  private Optional<NodeClaim.Holder> read(String nodeName) {
    try (Connection connection = connection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT instance_id, started_at, heartbeat_at FROM node WHERE name = ?")) {
      select.setString(1, nodeName);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new NodeClaim.Holder(
                row.getString(1),
                row.getObject(2, OffsetDateTime.class).toInstant(),
                row.getObject(3, OffsetDateTime.class).toInstant()));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read node " + nodeName, e);
    }
  }

  private Connection connection() throws SQLException {
    Connection connection = dataSource.getConnection();
    connection.setAutoCommit(true);
    return connection;
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking the node name", e);
    }
  }
}

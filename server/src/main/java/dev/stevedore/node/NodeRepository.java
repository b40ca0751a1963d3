package dev.stevedore.node;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Storage of the {@code node} table: one row per live node of the installation. Unlike the other
 * repositories it uses JDBC on the data source, each statement committed at once (auto-commit) and
 * in no transaction of the application's: a node's name is claimed at start-up before anything else
 * runs, and its heartbeat is written every few seconds by a timer, whatever else happens. A failure
 * is thrown as an {@link IllegalStateException} for the registry to judge.
 */
@ApplicationScoped
public class NodeRepository {

  @Resource(lookup = "jdbc/stevedore")
  DataSource dataSource;

  /** Who holds the name now, if anyone. */
  public Optional<NodeClaim.Holder> find(String name) {
    try (Connection connection = connection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT instance_id, started_at, heartbeat_at FROM node WHERE name = ?")) {
      select.setString(1, name);
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
      throw new IllegalStateException("Cannot read node " + name, e);
    }
  }

  /** Inserts the name's row for {@code instanceId}; false if another server inserted it first. */
  public boolean insert(String name, String instanceId) {
    try (Connection connection = connection()) {
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO node (name, instance_id, started_at, heartbeat_at) VALUES (?, ?, ?, ?)")) {
        insert.setString(1, name);
        insert.setString(2, instanceId);
        insert.setObject(3, now());
        insert.setObject(4, now());
        insert.executeUpdate();
        return true;
      } catch (SQLException raced) {
        return false; // another server inserted it first
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot record node " + name, e);
    }
  }

  /**
   * Gives the name's row to {@code instanceId} if {@code formerInstance} still holds it; false if
   * another server changed it meanwhile.
   */
  public boolean takeOver(String name, String formerInstance, String instanceId) {
    try (Connection connection = connection();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE node SET instance_id = ?, started_at = ?, heartbeat_at = ?"
                    + " WHERE name = ? AND instance_id = ?")) {
      update.setString(1, instanceId);
      update.setObject(2, now());
      update.setObject(3, now());
      update.setString(4, name);
      update.setString(5, formerInstance);
      return update.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot record node " + name, e);
    }
  }

  /**
   * Records a heartbeat with what the node reports, renews the leases of the node's claims that run
   * out within half a {@code lease}, and answers whether an operator drains it; empty if {@code
   * instanceId} no longer holds the name.
   */
  public Optional<Boolean> beat(String name, String instanceId, NodeReport report, Duration lease) {
    try (Connection connection = connection();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE node SET heartbeat_at = ?, advertised_url = ?, engine_id = ?, version = ?,"
                    + " slots = ?, running = ?, load1 = ?, load5 = ?, load15 = ?,"
                    + " disk_free_bytes = ? WHERE name = ? AND instance_id = ?");
        PreparedStatement draining =
            connection.prepareStatement("SELECT draining FROM node WHERE name = ?");
        PreparedStatement renew =
            connection.prepareStatement(
                "UPDATE job SET lease_until = ? WHERE node = ? AND state IN ('STARTING', 'RUNNING')"
                    + " AND (lease_until IS NULL OR lease_until < ?)")) {
      update.setObject(1, now());
      update.setString(2, report.advertisedUrl());
      update.setString(3, report.engineId());
      update.setString(4, report.version());
      update.setInt(5, report.slots());
      update.setInt(6, report.running());
      update.setObject(7, report.load1(), Types.DOUBLE);
      update.setObject(8, report.load5(), Types.DOUBLE);
      update.setObject(9, report.load15(), Types.DOUBLE);
      update.setObject(10, report.diskFreeBytes(), Types.BIGINT);
      update.setString(11, name);
      update.setString(12, instanceId);
      if (update.executeUpdate() == 0) {
        return Optional.empty();
      }
      OffsetDateTime now = now();
      renew.setObject(1, now.plus(lease));
      renew.setString(2, name);
      renew.setObject(3, now.plus(lease.dividedBy(2)));
      renew.executeUpdate();
      draining.setString(1, name);
      try (ResultSet row = draining.executeQuery()) {
        return Optional.of(row.next() && row.getBoolean(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Every node's row, by name. */
  public List<NodeRow> all() {
    try (Connection connection = connection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT name, started_at, heartbeat_at, advertised_url, engine_id, version, slots,"
                    + " running, load1, load5, load15, disk_free_bytes, draining, instance_id"
                    + " FROM node"
                    + " ORDER BY name");
        ResultSet row = select.executeQuery()) {
      List<NodeRow> rows = new ArrayList<>();
      while (row.next()) {
        rows.add(
            new NodeRow(
                row.getString(1),
                row.getObject(2, OffsetDateTime.class).toInstant(),
                row.getObject(3, OffsetDateTime.class).toInstant(),
                new NodeReport(
                    row.getString(4),
                    row.getString(5),
                    row.getString(6),
                    row.getInt(7),
                    row.getInt(8),
                    nullable(row, 9),
                    nullable(row, 10),
                    nullable(row, 11),
                    row.getObject(12) == null ? null : row.getLong(12)),
                row.getBoolean(13),
                NodeClaim.RELEASED.equals(row.getString(14))));
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the nodes", e);
    }
  }

  /** Sets whether the node drains; false if there is no such node. */
  public boolean drain(String name, boolean draining) {
    try (Connection connection = connection();
        PreparedStatement update =
            connection.prepareStatement("UPDATE node SET draining = ? WHERE name = ?")) {
      update.setBoolean(1, draining);
      update.setString(2, name);
      return update.executeUpdate() > 0;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot change node " + name, e);
    }
  }

  /**
   * A node's row: its heartbeat, its last report, whether it drains and whether its server gave the
   * name back on a clean shutdown.
   */
  public record NodeRow(
      String name,
      Instant startedAt,
      Instant heartbeatAt,
      NodeReport report,
      boolean draining,
      boolean released) {}

  private static Double nullable(ResultSet row, int column) throws SQLException {
    double value = row.getDouble(column);
    return row.wasNull() ? null : value;
  }

  /**
   * Gives the name back if {@code instanceId} holds it. The row stays, with its last heartbeat: the
   * node's running jobs are its own again when it comes back within the grace period, another
   * node's after it, and an operator's drain outlives the restart.
   */
  public void release(String name, String instanceId) {
    try (Connection connection = connection();
        PreparedStatement release =
            connection.prepareStatement(
                "UPDATE node SET instance_id = ? WHERE name = ? AND instance_id = ?")) {
      release.setString(1, NodeClaim.RELEASED);
      release.setString(2, name);
      release.setString(3, instanceId);
      release.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
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
}

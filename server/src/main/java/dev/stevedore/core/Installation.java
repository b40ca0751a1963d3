package dev.stevedore.core;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The id of this installation: every server on one database shares it, a server on another database
 * has another. It is made once, by the first server that starts on the schema, and kept in its
 * one-row table; every container carries it as a label.
 */
@ApplicationScoped
public class Installation {

  @Resource(lookup = "jdbc/stevedore")
  DataSource dataSource;

  private String id;

  public synchronized String id() {
    if (id == null) {
      id = readOrCreate();
    }
    return id;
  }

  private String readOrCreate() {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      String existing = read(connection);
      if (existing != null) {
        return existing;
      }
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO installation (singleton, id, created_at) VALUES (1, ?, ?)")) {
        insert.setString(1, UUID.randomUUID().toString());
        insert.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
        insert.executeUpdate();
      } catch (SQLException raced) {
        // Another server of this installation made it first: its id is the one.
      }
      String made = read(connection);
      if (made == null) {
        throw new IllegalStateException("The installation id could not be created");
      }
      return made;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the installation id", e);
    }
  }

  private static String read(Connection connection) throws SQLException {
    try (PreparedStatement select =
            connection.prepareStatement("SELECT id FROM installation WHERE singleton = 1");
        ResultSet row = select.executeQuery()) {
      return row.next() ? row.getString(1) : null;
    }
  }
}

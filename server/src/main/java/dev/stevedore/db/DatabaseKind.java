package dev.stevedore.db;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Which database the server stores its data in. PostgreSQL serves several nodes (claims with {@code
 * FOR UPDATE SKIP LOCKED}, events between nodes with {@code LISTEN/NOTIFY}); H2 serves one.
 */
@ApplicationScoped
public class DatabaseKind {

  @Resource(lookup = "jdbc/stevedore")
  DataSource dataSource;

  private volatile Boolean postgres;

  /** A kind known beforehand, for code that builds its collaborators itself. */
  public static DatabaseKind known(boolean postgres) {
    DatabaseKind kind = new DatabaseKind();
    kind.postgres = postgres;
    return kind;
  }

  public boolean isPostgres() {
    Boolean known = postgres;
    if (known == null) {
      try (Connection connection = dataSource.getConnection()) {
        known =
            connection.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
      } catch (SQLException e) {
        throw new IllegalStateException("Cannot tell which database this is", e);
      }
      postgres = known;
    }
    return known;
  }
}

package it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The test server's database, for tests that set up or check what the API cannot. */
public final class Database {

  private Database() {}

  public static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        System.getProperty("stevedore.db.url"),
        System.getProperty("stevedore.db.user"),
        System.getProperty("stevedore.db.password"));
  }

  /** Runs one statement with its parameters. */
  public static void execute(String sql, Object... values) {
    try (Connection connection = connect();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        statement.setObject(i + 1, values[i]);
      }
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}

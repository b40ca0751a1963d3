package dev.stevedore.db;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Brings the database schema up to date with Flyway before anything else touches it. */
@ApplicationScoped
public class SchemaMigration {

  @Resource(lookup = "jdbc/stevedore")
  DataSource dataSource;

  /** What the database is, for the start-up line. */
  public record DatabaseInfo(String product, String version, String url, String schemaVersion) {}

  public DatabaseInfo migrate() {
    MigrateResult result =
        Flyway.configure(getClass().getClassLoader())
            .dataSource(dataSource)
            .locations("classpath:db/migration")
            // Callbacks would live beside the migrations; on Liberty, Flyway finds a class-path
            // location only by its flyway.location marker file.
            .callbackLocations("classpath:db/migration")
            .load()
            .migrate();
    try (Connection connection = dataSource.getConnection()) {
      DatabaseMetaData meta = connection.getMetaData();
      return new DatabaseInfo(
          meta.getDatabaseProductName(),
          meta.getDatabaseProductVersion(),
          withoutSecrets(meta.getURL()),
          result.targetSchemaVersion);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the database's metadata", e);
    }
  }

  /** A JDBC URL fit for a log: any password parameter masked. */
  static String withoutSecrets(String url) {
    return url == null ? null : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}

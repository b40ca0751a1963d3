package dev.stevedore.node;

import dev.stevedore.dispatch.Dispatcher;
import dev.stevedore.runtime.ContainerRuntime;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The node's MicroProfile Health checks. Liveness asks only whether this process still works (a
 * platform restarts it when not); readiness whether it can take work now (database, engine, disk),
 * so that a load balancer sends it none while one of them is missing. (The startup check is the
 * start-up sequence's own.) {@code /health} is open: the checks' data name the reason of a DOWN
 * without details an outsider could use.
 */
@ApplicationScoped
public class NodeHealthChecks {

  private static final int DATABASE_TIMEOUT_SECONDS = 3;

  @Inject Dispatcher dispatcher;
  @Inject ContainerRuntime runtime;
  @Inject NodeSampler sampler;

  @Resource(lookup = "jdbc/stevedore")
  DataSource dataSource;

  @Produces
  @Liveness
  HealthCheck dispatcherAlive() {
    return () -> {
      Duration sincePass = dispatcher.sinceLastPass();
      Duration limit = dispatcher.stalledAfter();
      return HealthCheckResponse.named("dispatcher")
          .status(sincePass == null || sincePass.compareTo(limit) < 0)
          .withData("secondsSinceLastPass", sincePass == null ? -1 : sincePass.toSeconds())
          .withData("stalledAfterSeconds", limit.toSeconds())
          .withData("running", dispatcher.running())
          .build();
    };
  }

  @Produces
  @Readiness
  HealthCheck database() {
    return () -> {
      String reason = null;
      try (Connection connection = dataSource.getConnection()) {
        if (!connection.isValid(DATABASE_TIMEOUT_SECONDS)) {
          reason = "the connection did not answer within " + DATABASE_TIMEOUT_SECONDS + " s";
        }
      } catch (SQLException e) {
        reason = "no connection: SQL state " + e.getSQLState();
      }
      return check("database", reason).build();
    };
  }

  @Produces
  @Readiness
  HealthCheck dockerEngine() {
    return () -> {
      boolean answers;
      try {
        answers = runtime.isAvailable();
      } catch (RuntimeException e) { // a timeout of the ping
        answers = false;
      }
      return check("docker-engine", answers ? null : "the Docker engine does not answer").build();
    };
  }

  @Produces
  @Readiness
  HealthCheck disk() {
    return () -> {
      long free = sampler.freeDiskBytes();
      long min = sampler.minFreeDiskBytes();
      return check(
              "disk",
              free >= min ? null : "free space of the data directory is below the threshold")
          .withData("freeMb", free / (1024 * 1024))
          .withData("minFreeMb", min / (1024 * 1024))
          .build();
    };
  }

  /** UP without a reason, DOWN with it. */
  private static HealthCheckResponseBuilder check(String name, String reason) {
    HealthCheckResponseBuilder builder = HealthCheckResponse.named(name).status(reason == null);
    return reason == null ? builder : builder.withData("reason", reason);
  }
}

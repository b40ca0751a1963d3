package dev.stevedore.node;

import dev.stevedore.db.SchemaMigration;
import dev.stevedore.dispatch.Dispatcher;
import dev.stevedore.runtime.ContainerRuntime;
import dev.stevedore.runtime.EngineInfo;
import dev.stevedore.workspace.Workspaces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * Brings the node up in order: data directory, database schema, then the dispatcher; and says
 * in one line where the data lives, which database and which Docker engine are in use.
 */
@ApplicationScoped
public class NodeStartup {

  private static final Logger LOG = Logger.getLogger(NodeStartup.class.getName());

  @Inject Workspaces workspaces;
  @Inject SchemaMigration schema;
  @Inject ContainerRuntime runtime;
  @Inject Dispatcher dispatcher;
  @Inject NodeIdentity node;

  void onStart(@Observes Startup startup) {
    workspaces.prepare();
    SchemaMigration.DatabaseInfo database = schema.migrate();
    dispatcher.start();
    LOG.info(
        "Stevedore node "
            + node.name()
            + " is up: data in "
            + workspaces.dataDir()
            + "; database "
            + database.product()
            + " "
            + database.version()
            + " at "
            + database.url()
            + " (schema "
            + database.schemaVersion()
            + "); "
            + describe(runtime)
            + "; at most "
            + dispatcher.maxConcurrent()
            + " jobs at once");
  }

  private static String describe(ContainerRuntime runtime) {
    try {
      EngineInfo engine = runtime.info();
      return "Docker engine "
          + engine.version()
          + " (API "
          + engine.apiVersion()
          + ") at "
          + engine.endpoint();
    } catch (RuntimeException e) {
      return "Docker engine not reachable yet (" + e.getMessage() + "); jobs wait for it";
    }
  }
}

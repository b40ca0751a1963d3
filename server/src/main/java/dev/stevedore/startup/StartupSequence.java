package dev.stevedore.startup;

import dev.stevedore.cleanup.FileRetention;
import dev.stevedore.core.NodeIdentity;
import dev.stevedore.db.SchemaMigration;
import dev.stevedore.dispatch.Dispatcher;
import dev.stevedore.dispatch.Reconciler;
import dev.stevedore.node.NodeRegistry;
import dev.stevedore.node.NodeSampler;
import dev.stevedore.runtime.ContainerRuntime;
import dev.stevedore.runtime.EngineInfo;
import dev.stevedore.runtime.SandboxPolicy;
import dev.stevedore.security.AdminKeyBootstrap;
import dev.stevedore.webhooks.LogPatternWatcher;
import dev.stevedore.webhooks.WebhookSender;
import dev.stevedore.workspace.Workspaces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Brings the node up in order: data directory, database schema, the node name (refused if another
 * live server of the installation holds it), the sandbox's runtime check, reconciliation with the
 * engine, the dispatcher and file retention; and says in one line where the data lives, which
 * database and which Docker engine are in use.
 */
@ApplicationScoped
public class StartupSequence {

  private static final Logger LOG = Logger.getLogger(StartupSequence.class.getName());

  @Inject Workspaces workspaces;
  @Inject SchemaMigration schema;
  @Inject ContainerRuntime runtime;
  @Inject Dispatcher dispatcher;
  @Inject Reconciler reconciler;
  @Inject dev.stevedore.pool.WarmPools pools;
  @Inject dev.stevedore.sandbox.SandboxService sandboxes;
  @Inject SandboxPolicy sandbox;
  @Inject FileRetention retention;
  @Inject AdminKeyBootstrap adminKey;
  @Inject LogPatternWatcher logPatterns;
  @Inject WebhookSender webhookSender;
  @Inject NodeIdentity node;
  @Inject NodeSampler sampler;
  @Inject NodeRegistry registry;
  @Inject dev.stevedore.node.LostNodes lostNodes;
  @Inject dev.stevedore.events.ClusterEvents clusterEvents;
  @Inject dev.stevedore.events.StreamHub streams;

  private volatile boolean complete;

  void onStart(@Observes Startup startup) {
    workspaces.prepare();
    SchemaMigration.DatabaseInfo database = schema.migrate();
    try {
      registry.claim(node.name()); // before any container is touched
    } catch (IllegalStateException taken) {
      LOG.severe(taken.getMessage());
      throw taken;
    }
    adminKey.ensureAdminKey(workspaces.dataDir());
    EngineInfo engine = engine();
    sandbox.verify(engine); // a configured runtime the engine lacks stops the start
    reconciler.start();
    pools.start();
    sandboxes.start();
    sampler.start();
    clusterEvents.start(); // before the dispatcher: a job queued elsewhere wakes it
    streams.start();
    dispatcher.start();
    lostNodes.start();
    retention.start();
    logPatterns.refresh();
    webhookSender.start();
    complete = true;
    LOG.info(
        "Stevedore node "
            + node.name()
            + " of installation "
            + node.installation()
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
            + describe(engine)
            + "; at most "
            + dispatcher.maxConcurrent()
            + " jobs at once");
  }

  /** Whether the start-up sequence has run to its end: the startup health check. */
  public boolean isComplete() {
    return complete;
  }

  private EngineInfo engine() {
    try {
      return runtime.info();
    } catch (RuntimeException e) {
      LOG.warning("The Docker engine does not answer yet; jobs wait for it: " + e.getMessage());
      return null;
    }
  }

  private static String describe(EngineInfo engine) {
    return engine == null
        ? "Docker engine not reachable yet, jobs wait for it"
        : "Docker engine "
            + engine.version()
            + " (API "
            + engine.apiVersion()
            + ") at "
            + engine.endpoint();
  }

  /** MicroProfile Health's startup check: UP once the sequence above is done. */
  @Produces
  @org.eclipse.microprofile.health.Startup
  HealthCheck started() {
    return () -> {
      HealthCheckResponseBuilder builder =
          HealthCheckResponse.named("startup").status(isComplete());
      return isComplete()
          ? builder.build()
          : builder
              .withData("reason", "migrations and the first reconciliation are not done")
              .build();
    };
  }
}

package dev.stevedore.dispatch;

import dev.stevedore.core.NodeIdentity;
import dev.stevedore.job.InMemoryJobRepository;
import dev.stevedore.job.QueueStatus;
import dev.stevedore.runtime.ContainerRuntime;
import dev.stevedore.runtime.Sandbox;
import dev.stevedore.runtime.SandboxPolicy;
import dev.stevedore.workspace.TestWorkspaces;
import dev.stevedore.workspace.Workspaces;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The real runner and dispatcher wired to the in-memory job store and engine, the way CDI wires
 * them in the server, for the tests of the engine-port seam.
 */
final class SeamWiring {

  static final String INSTALLATION = "inst-1";
  static final Sandbox SANDBOX =
      new Sandbox(true, true, true, 64L << 20, "65534:65534", 1024, 4096, null);

  private SeamWiring() {}

  /** This node as the tests see it: the store's node name, one installation. */
  static final class Node extends NodeIdentity {
    @Override
    public String installation() {
      return INSTALLATION;
    }

    @Override
    public String name() {
      return InMemoryJobRepository.NODE;
    }
  }

  /** The sandbox every container gets, fixed. */
  static final class Policy extends SandboxPolicy {
    @Override
    public Sandbox sandbox() {
      return SANDBOX;
    }
  }

  static JobRunner runner(
      InMemoryJobRepository jobs,
      ContainerRuntime engine,
      Workspaces workspaces,
      ManualExecutor timers,
      NodeIdentity node) {
    JobRunner runner = new JobRunner();
    runner.repository = jobs;
    runner.lifecycle = jobs.lifecycle();
    runner.runtime = engine;
    runner.logs = dev.stevedore.logs.TestJobLogs.in(workspaces);
    runner.workspaces = workspaces;
    runner.outputs = TestWorkspaces.archive(workspaces, 1 << 20);
    runner.sandbox = new Policy();
    runner.node = node;
    runner.timeoutGraceSeconds = 10;
    runner.scheduler = timers.scheduler();
    return runner;
  }

  static Dispatcher dispatcher(
      InMemoryJobRepository jobs,
      JobRunner runner,
      ContainerRuntime engine,
      ManualExecutor executor,
      QueueStatus queueStatus,
      int maxConcurrent) {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.repository = jobs;
    dispatcher.lifecycle = jobs.lifecycle();
    dispatcher.admission = new dev.stevedore.core.NodeAdmission();
    dispatcher.runner = runner;
    dispatcher.runtime = engine;
    dispatcher.node = new Node();
    dispatcher.tenants = jobs.tenants();
    dispatcher.queueStatus = queueStatus;
    dispatcher.maxConcurrent = maxConcurrent;
    dispatcher.cancelGraceSeconds = 10;
    dispatcher.executor = executor.executor();
    dispatcher.pools = new dev.stevedore.pool.WarmPools(); // no pool: nothing to interrupt
    dispatcher.passes = new dev.stevedore.batch.RecordingEvent<>();
    return dispatcher;
  }

  /**
   * Silences a class's log: the tests check what it says went wrong, the build stays quiet. Keep
   * the logger in a field, or the setting is lost with it.
   */
  static Logger quiet(Class<?> type) {
    Logger logger = Logger.getLogger(type.getName());
    logger.setLevel(Level.OFF);
    return logger;
  }
}

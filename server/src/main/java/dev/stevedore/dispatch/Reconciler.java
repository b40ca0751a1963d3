package dev.stevedore.dispatch;

import dev.stevedore.core.JobId;
import dev.stevedore.core.NodeIdentity;
import dev.stevedore.core.Schedules;
import dev.stevedore.job.Job;
import dev.stevedore.job.JobLifecycle;
import dev.stevedore.job.JobRepository;
import dev.stevedore.job.JobState;
import dev.stevedore.runtime.ContainerLabels;
import dev.stevedore.runtime.ContainerRuntime;
import dev.stevedore.runtime.ManagedContainer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Brings the database and the Docker engine back into agreement, at start-up and periodically:
 *
 * <ul>
 *   <li>a STARTING or RUNNING job of this node whose container exists is adopted by a runner (one
 *       that has ended is finalized by it: exit code, output, outputs);
 *   <li>one whose container is gone is requeued if it never ran (STARTING), failed if it did;
 *   <li>the container of a cancelled job is stopped, its output and outputs kept, and removed;
 *   <li>a container labelled by this node that no active job owns is removed, unless it is a pool's
 *       or a sandbox's (the warm pools and the sandboxes keep their own) or another node that
 *       shares the engine adopted its job while this one was lost;
 *   <li>a pooled job found RUNNING with no runner failed: its command cannot be followed again.
 * </ul>
 *
 * Only containers labelled with this installation's id are considered.
 *
 * <p>Jobs that a runner of this server watches are left alone. Containers are listed before jobs
 * are read, so a container made after the listing is never taken for an orphan.
 */
@ApplicationScoped
public class Reconciler {

  private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());

  @Inject ContainerRuntime runtime;
  @Inject JobRepository repository;
  @Inject JobLifecycle lifecycle;
  @Inject Dispatcher dispatcher;
  @Inject NodeIdentity node;

  @Inject
  @ConfigProperty(name = "stevedore.reconcile.interval-seconds")
  long intervalSeconds;

  @Inject Schedules schedules;

  /** Reconciles now, then every interval. */
  public void start() {
    reconcileQuietly();
    Duration interval = Duration.ofSeconds(intervalSeconds);
    schedules.withFixedDelay("Reconciliation", interval, interval, this::reconcileQuietly);
  }

  void reconcileQuietly() {
    try {
      reconcile();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Reconciliation failed; the next one tries again: " + e.getMessage());
    }
  }

  /** One pass. Does nothing while the engine cannot be reached: nothing can be known then. */
  public synchronized void reconcile() {
    if (!runtime.isAvailable()) {
      return;
    }
    Map<String, ManagedContainer> containers = new HashMap<>();
    // Only this installation's containers: another installation may share the engine, even with
    // the same node name, and its containers are none of this server's business.
    for (ManagedContainer container : runtime.listManaged(node.installation())) {
      if (node.name().equals(container.labels().get(ContainerLabels.NODE))) {
        containers.put(container.name(), container);
      }
    }
    for (Job job : repository.activeOn(node.name())) {
      JobId id = job.id();
      String name = ContainerLabels.containerName(id.value(), job.attempt());
      ManagedContainer container = containers.remove(name);
      if (dispatcher.isInFlight(id)) {
        continue;
      }
      if (container != null || existsUnlabelled(name)) {
        dispatcher.adopt(id);
      } else if (job.state() == JobState.STARTING) {
        JobLifecycle.ifStillPossible(
            () ->
                lifecycle.transition(
                    id, JobState.QUEUED, "requeued: its container was never started"));
      } else if (job.container() != null) {
        // A command run in a pool's container cannot be followed again: how it ended is unknown.
        String why =
            "its server stopped while it ran in container "
                + job.container()
                + " of pool "
                + job.pool()
                + "; the container was replaced and how the job ended is unknown";
        JobLifecycle.ifStillPossible(() -> lifecycle.finish(id, JobState.FAILED, null, why));
      } else {
        JobLifecycle.ifStillPossible(
            () -> lifecycle.finish(id, JobState.FAILED, null, "its container disappeared"));
      }
    }
    for (ManagedContainer orphan : containers.values()) {
      if (orphan.labels().containsKey(ContainerLabels.POOL)
          || orphan.labels().containsKey(ContainerLabels.SANDBOX)) {
        continue; // the warm pools keep their own containers
      }
      String jobId = orphan.labels().get(ContainerLabels.JOB);
      if (jobId != null && isValid(jobId) && dispatcher.isInFlight(new JobId(jobId))) {
        continue;
      }
      if (jobId != null && isValid(jobId) && isAdopted(new JobId(jobId), orphan)) {
        continue; // another node, sharing the engine, adopted it while this one was away
      }
      if (jobId != null && isValid(jobId) && isCancelledAttempt(new JobId(jobId), orphan)) {
        // Cancelled while no runner watched it (the server stopped meanwhile): its output and
        // outputs are kept before it goes, as for any cancel.
        dispatcher.settleCancelled(new JobId(jobId), attempt(orphan), orphan.name());
        continue;
      }
      LOG.info("Removing container " + orphan.name() + ": no active job owns it");
      try {
        runtime.remove(orphan.id());
      } catch (RuntimeException e) {
        LOG.warning("Could not remove " + orphan.name() + ": " + e.getMessage());
      }
    }
  }

  /**
   * A container made before containers carried the installation id (by an earlier version) is not
   * listed; its name, which holds the job's id, still makes it this job's.
   */
  private boolean existsUnlabelled(String name) {
    return runtime.status(name).isPresent();
  }

  private boolean isCancelledAttempt(JobId id, ManagedContainer container) {
    return repository
        .find(id)
        .map(job -> job.state() == JobState.CANCELLED && job.attempt() == attempt(container))
        .orElse(false);
  }

  private boolean isAdopted(JobId id, ManagedContainer container) {
    return repository
        .find(id)
        .map(
            job ->
                job.state().isActive()
                    && job.attempt() == attempt(container)
                    && job.node() != null
                    && !job.node().equals(node.name()))
        .orElse(false);
  }

  private static int attempt(ManagedContainer container) {
    try {
      return Integer.parseInt(container.labels().getOrDefault(ContainerLabels.ATTEMPT, "-1"));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean isValid(String jobId) {
    try {
      new JobId(jobId);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}

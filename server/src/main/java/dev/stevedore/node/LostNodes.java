package dev.stevedore.node;

import dev.stevedore.core.NodeAdmission;
import dev.stevedore.core.NodeIdentity;
import dev.stevedore.core.Schedules;
import dev.stevedore.dispatch.Dispatcher;
import dev.stevedore.job.Job;
import dev.stevedore.job.JobLifecycle;
import dev.stevedore.job.JobRepository;
import dev.stevedore.runtime.ContainerLabels;
import dev.stevedore.runtime.ContainerRuntime;
import dev.stevedore.sandbox.Sandbox;
import dev.stevedore.sandbox.SandboxRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Settles the jobs of nodes that stopped answering: every live node looks, every heartbeat
 * interval, for STARTING and RUNNING jobs of a node whose heartbeat is older than the dead
 * threshold plus a grace period and whose claim's lease ran out as long ago. When this node drives
 * the same Docker engine as the lost one and the job's container is there, it adopts the container:
 * the attempt goes on, followed from here. Otherwise the job becomes a new attempt in the queue,
 * for any node to claim. Each change is checked against the job's attempt and version, so two nodes
 * that look at once settle a job once. The lost node, should it come back, records nothing more of
 * those attempts, removes the containers of attempts that moved on and leaves the adopted ones. Its
 * live sandboxes end.
 *
 * <p>A node judges others only once its own heartbeats have been written for as long as a silence
 * that means loss: after the database was away, every node's last heartbeat is old, and none is
 * taken for lost before it could beat again.
 */
@ApplicationScoped
public class LostNodes {

  private static final Logger LOG = Logger.getLogger(LostNodes.class.getName());

  @Inject NodeRepository nodes;
  @Inject NodeService liveness;
  @Inject JobRepository jobs;
  @Inject SandboxRepository sandboxes;
  @Inject JobLifecycle lifecycle;
  @Inject NodeIdentity identity;
  @Inject Schedules schedules;
  @Inject ContainerRuntime runtime;
  @Inject Dispatcher dispatcher;
  @Inject NodeAdmission admission;
  @Inject NodeRegistry registry;
  @Inject dev.stevedore.batch.BatchRepository batches;
  @Inject dev.stevedore.db.DatabaseKind database;

  @Inject
  @ConfigProperty(name = "stevedore.node.heartbeat-seconds")
  int heartbeatSeconds;

  @Inject
  @ConfigProperty(name = "stevedore.node.lost-grace-seconds")
  int graceSeconds;

  public void start() {
    Duration interval = Duration.ofSeconds(Math.max(1, heartbeatSeconds));
    schedules.withFixedDelay("Lost nodes", interval, interval, this::settleQuietly);
  }

  private void settleQuietly() {
    try {
      settle();
    } catch (RuntimeException e) {
      LOG.warning("Looking for lost nodes failed; the next look tries again: " + e.getMessage());
    }
  }

  /** One look. */
  void settle() {
    Duration silence = liveness.deadAfter().plusSeconds(graceSeconds);
    if (!registry.beatingFor(silence)) {
      return; // this node was away from the database itself, or has just started
    }
    Instant now = Instant.now();
    Instant lostBefore = now.minus(silence);
    Instant leaseEndedBefore = now.minusSeconds(graceSeconds);
    List<NodeRepository.NodeRow> rows = nodes.all();
    String engine =
        rows.stream()
            .filter(row -> row.name().equals(identity.name()))
            .map(row -> row.report().engineId())
            .filter(id -> id != null)
            .findFirst()
            .orElse(null);
    for (NodeRepository.NodeRow row : rows) {
      if (row.name().equals(identity.name()) || !row.heartbeatAt().isBefore(lostBefore)) {
        continue;
      }
      boolean sharedEngine = engine != null && engine.equals(row.report().engineId());
      for (Job job : jobs.activeOn(row.name())) {
        if (job.leaseUntil() != null && job.leaseUntil().isAfter(leaseEndedBefore)) {
          continue; // its claim still holds
        }
        if (sharedEngine && adopt(job, row)) {
          continue;
        }
        String reason =
            "node lost: "
                + row.name()
                + " last answered at "
                + row.heartbeatAt()
                + "; requeued as attempt "
                + (job.attempt() + 1);
        if (JobLifecycle.ifStillPossible(
            () -> lifecycle.nodeLost(job.id(), job.attempt(), reason))) {
          LOG.warning("Job " + job.id() + " was " + job.state() + " on lost " + reason);
        }
      }
      // A sandbox lives in its node's container and memory: it cannot move. It ends, and its
      // tenant's running slot with it; its node, should it come back, removes the container.
      for (Sandbox sandbox : sandboxes.liveOn(row.name())) {
        if (sandboxes.end(
            sandbox.id(),
            "its node " + row.name() + " was lost (last answered at " + row.heartbeatAt() + ")")) {
          LOG.warning("Sandbox " + sandbox.id() + " ended: its node " + row.name() + " was lost");
        }
      }
      // Its batches' executions can never end there: marked failed, they restart from any node.
      if (database.isPostgres()) {
        try {
          for (String batch : batches.failExecutionsOfLostNode(row.name())) {
            LOG.warning(
                "Batch " + batch + " failed: its node " + row.name() + " was lost; restart it");
          }
        } catch (RuntimeException e) {
          LOG.warning(
              "Could not mark the batches of lost node "
                  + row.name()
                  + " failed: "
                  + e.getMessage());
        }
      }
    }
  }

  /**
   * Adopts a job of the lost node whose container this node's engine runs: true if the job is
   * followed from here now. A job in a warm pool's container is not: its command ran as an exec
   * that only its own node could follow.
   */
  private boolean adopt(Job job, NodeRepository.NodeRow lost) {
    if (job.container() != null) {
      return false;
    }
    String container = ContainerLabels.containerName(job.id().value(), job.attempt());
    try {
      if (runtime.status(container).isEmpty()) {
        return false; // gone with its node, or never made: a new attempt
      }
    } catch (RuntimeException engineUnavailable) {
      return true; // nothing can be known now: the next look decides
    }
    String reason =
        "adopted by node "
            + identity.name()
            + ", which shares its engine: node "
            + lost.name()
            + " last answered at "
            + lost.heartbeatAt();
    if (lifecycle.adopt(
        job.id(),
        job.attempt(),
        lost.name(),
        identity.name(),
        Instant.now().plus(admission.deadAfter()),
        reason)) {
      LOG.warning("Job " + job.id() + " (attempt " + job.attempt() + ") " + reason);
      dispatcher.adopt(job.id());
    }
    return true;
  }
}

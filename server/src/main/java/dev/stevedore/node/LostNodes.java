package dev.stevedore.node;

import dev.stevedore.core.NodeIdentity;
import dev.stevedore.core.Schedules;
import dev.stevedore.job.Job;
import dev.stevedore.job.JobLifecycle;
import dev.stevedore.job.JobRepository;
import dev.stevedore.sandbox.Sandbox;
import dev.stevedore.sandbox.SandboxRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Settles the jobs of nodes that stopped answering: every live node looks, every heartbeat
 * interval, for STARTING and RUNNING jobs of a node whose heartbeat is older than the dead
 * threshold plus a grace period, and makes each a new attempt in the queue, for any node to claim.
 * Each change is one attempt-checked transition, so two nodes that look at once settle a job once.
 * The lost node, should it come back, records nothing more of those attempts and removes their
 * containers. Its live sandboxes end.
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
      LOG.log(Level.WARNING, "Looking for lost nodes failed; the next look tries again", e);
    }
  }

  /** One look. */
  void settle() {
    Instant lostBefore = Instant.now().minus(liveness.deadAfter()).minusSeconds(graceSeconds);
    for (NodeRepository.NodeRow row : nodes.all()) {
      if (row.name().equals(identity.name()) || !row.heartbeatAt().isBefore(lostBefore)) {
        continue;
      }
      for (Job job : jobs.activeOn(row.name())) {
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
    }
  }
}

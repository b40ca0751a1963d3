package dev.stevedore.node;

import dev.stevedore.core.NodeAdmission;
import dev.stevedore.core.Schedules;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The live nodes of this installation, one row each in the {@code node} table: its name, the
 * running server that holds it, when that started and its last heartbeat. A server holds its name
 * while it runs and gives it back when it stops cleanly.
 */
@ApplicationScoped
public class NodeRegistry {

  private static final Logger LOG = Logger.getLogger(NodeRegistry.class.getName());

  /** The server's version, written into the build's version.properties. */
  static final String VERSION = readVersion();

  @Inject NodeRepository nodes;

  @Inject NodeSampler sampler;

  @Inject NodeAdmission admission;

  @Inject
  @ConfigProperty(name = "stevedore.node.advertised-url")
  Optional<String> advertisedUrl;

  @Inject Schedules schedules;

  @Inject
  @ConfigProperty(name = "stevedore.node.heartbeat-seconds")
  int heartbeatSeconds;

  private final String instanceId = UUID.randomUUID().toString();
  private String name;
  private Schedules.Task heartbeat;
  private volatile boolean lost;

  /** Since when every heartbeat has been written; null after one failed. */
  private volatile Instant beatingSince;

  /**
   * Whether this node's heartbeats have all been written for at least {@code period}. Only then may
   * it take another node's silence for that node's loss: after the database was away, every node's
   * last heartbeat is old, and each must first see the others beat again.
   */
  public boolean beatingFor(Duration period) {
    Instant since = beatingSince;
    return since != null && since.plus(period).isBefore(Instant.now());
  }

  /** This server's instance: a new one at every start. */
  public String instanceId() {
    return instanceId;
  }

  /**
   * Takes the node name for this server and starts its heartbeat; throws {@link
   * IllegalStateException} saying why if another live server holds it.
   */
  public synchronized void claim(String nodeName) {
    Duration interval = Duration.ofSeconds(Math.max(1, heartbeatSeconds));
    Optional<NodeClaim.Holder> held = nodes.find(nodeName);
    NodeClaim.Verdict verdict =
        NodeClaim.first(held, instanceId, Instant.now(), interval.multipliedBy(3));
    if (verdict == NodeClaim.Verdict.WATCH) {
      LOG.info(
          "Node name "
              + nodeName
              + " has a recent heartbeat; watching whether its holder is still alive");
      sleep(interval.multipliedBy(2).plusSeconds(1));
      verdict = NodeClaim.afterWatching(held.get(), nodes.find(nodeName));
    }
    if (verdict == NodeClaim.Verdict.REFUSE || !take(nodeName, held)) {
      throw new IllegalStateException(
          "Node name "
              + nodeName
              + " is held by another running server of this installation (its heartbeat is"
              + " fresh). Two live nodes must not share a name: each would take the other's"
              + " containers for its own. Give this server another name (stevedore.node.name) or"
              + " stop the other one.");
    }
    name = nodeName;
    heartbeat = schedules.withFixedDelay("Node heartbeat", interval, interval, this::beat);
  }

  /** Gives the name back on a clean shutdown: a restart need not wait for it. */
  @PreDestroy
  synchronized void release() {
    if (heartbeat != null) {
      heartbeat.cancel(); // no beat after the name is given back
    }
    if (name == null) {
      return;
    }
    try {
      nodes.release(name, instanceId);
    } catch (RuntimeException e) {
      LOG.warning("Could not release node name " + name + ": " + e.getMessage());
    }
  }

  private void beat() {
    try {
      Optional<Boolean> draining = nodes.beat(name, instanceId, report(), admission.deadAfter());
      draining.ifPresent(admission::draining);
      if (beatingSince == null) {
        beatingSince = Instant.now();
      }
      if (draining.isEmpty() && !lost) {
        lost = true;
        LOG.severe(
            "Node name "
                + name
                + " is no longer held by this server: another server took it over. Stop one of"
                + " them: two live nodes must not share a name.");
      }
    } catch (RuntimeException e) {
      beatingSince = null;
      LOG.warning("Node heartbeat failed; the next one tries again: " + e.getMessage());
    }
  }

  /** What this node reports with its heartbeat; what is not sampled yet stays empty. */
  private NodeReport report() {
    try {
      NodeStatus status = sampler.status();
      return new NodeReport(
          advertisedUrl.orElse(null),
          status.engine().id(),
          VERSION,
          status.jobs().maxConcurrent(),
          status.jobs().running(),
          status.cpu().load1(),
          status.cpu().load5(),
          status.cpu().load15(),
          status.disk().freeBytes());
    } catch (RuntimeException notSampledYet) {
      return new NodeReport(
          advertisedUrl.orElse(null), null, VERSION, 0, 0, null, null, null, null);
    }
  }

  /** Inserts or takes over the row; false if another server changed it meanwhile. */
  private boolean take(String nodeName, Optional<NodeClaim.Holder> held) {
    if (held.isEmpty() || nodes.find(nodeName).isEmpty()) {
      return nodes.insert(nodeName, instanceId);
    }
    return nodes.takeOver(nodeName, held.get().instanceId(), instanceId);
  }

  private static String readVersion() {
    Properties properties = new Properties();
    try (InputStream in = NodeRegistry.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      LOG.fine(() -> "No version.properties: " + e);
    }
    return properties.getProperty("version", "unknown");
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking the node name", e);
    }
  }
}

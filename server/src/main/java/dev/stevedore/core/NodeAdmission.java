package dev.stevedore.core;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Whether this node claims new work: not while an operator drains it (it learns that from the
 * database with each heartbeat), nor while its load is above the configured ceiling (it learns that
 * from each sample of its resources). Running jobs finish either way.
 */
@ApplicationScoped
public class NodeAdmission {

  @Inject
  @ConfigProperty(name = "stevedore.node.heartbeat-seconds")
  int heartbeatSeconds;

  @Inject
  @ConfigProperty(name = "stevedore.node.dead-after-beats")
  int deadAfterBeats;

  private volatile boolean draining;

  /**
   * How long a node may be silent before it counts as dead; also the lease of each claim, which the
   * node renews with its heartbeat.
   */
  public Duration deadAfter() {
    return Duration.ofSeconds((long) heartbeatSeconds * deadAfterBeats);
  }

  private volatile boolean overloaded;

  public boolean isDraining() {
    return draining;
  }

  public void draining(boolean draining) {
    this.draining = draining;
  }

  public void overloaded(boolean overloaded) {
    this.overloaded = overloaded;
  }

  /** Whether the node may claim queued work now. */
  public boolean acceptsWork() {
    return !draining && !overloaded;
  }
}

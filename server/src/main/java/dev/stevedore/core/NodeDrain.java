package dev.stevedore.core;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether an operator drains this node: a draining node claims no new work and lets its running
 * jobs finish. The node learns it from the database with each heartbeat.
 */
@ApplicationScoped
public class NodeDrain {

  private volatile boolean draining;

  public boolean isDraining() {
    return draining;
  }

  public void set(boolean draining) {
    this.draining = draining;
  }
}

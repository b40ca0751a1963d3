package dev.stevedore.core;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether this node claims new work: not while an operator drains it (it learns that from the
 * database with each heartbeat), nor while its load is above the configured ceiling (it learns that
 * from each sample of its resources). Running jobs finish either way.
 */
@ApplicationScoped
public class NodeAdmission {

  private volatile boolean draining;
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

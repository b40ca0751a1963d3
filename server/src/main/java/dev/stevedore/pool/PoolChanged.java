package dev.stevedore.pool;

import java.util.List;

/**
 * A container of a pool changed on this node: it became warm, was taken by a job, was replaced, or
 * failed to start. Carries the pool's counts after the change and the tenants that may see it.
 */
public record PoolChanged(
    String pool,
    String node,
    String event,
    String container,
    int warm,
    int busy,
    int starting,
    List<String> tenants) {

  /** Whether the tenant's event listeners hear of it. */
  public boolean visibleTo(String tenant) {
    return tenants.contains("*") || tenants.contains(tenant);
  }
}

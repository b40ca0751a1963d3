package dev.stevedore.pool;

import dev.stevedore.core.JobId;

/**
 * Where a pooled job is to run, as the dispatcher reserved it: a warm container taken for it, or
 * the pool's word that it starts cold, or why it cannot run in the pool at all.
 */
public final class PoolLease {

  final String pool;
  final PoolSpec spec;
  final int revision;
  final JobId job;
  final String tenant;
  final String refusal;
  final boolean warm;
  volatile WarmContainer container;

  PoolLease(
      String pool,
      PoolSpec spec,
      int revision,
      JobId job,
      String tenant,
      WarmContainer container,
      String refusal) {
    this.pool = pool;
    this.spec = spec;
    this.revision = revision;
    this.job = job;
    this.tenant = tenant;
    this.container = container;
    this.warm = container != null;
    this.refusal = refusal;
  }

  public String pool() {
    return pool;
  }

  /** A warm container was taken for the job; false when it starts cold. */
  public boolean warm() {
    return warm;
  }

  /** Why the job cannot run in its pool (it is gone, or the tenant may no longer use it). */
  public String refusal() {
    return refusal;
  }

  /** The container's name, once there is one. */
  public String containerName() {
    WarmContainer c = container;
    return c == null ? null : c.name;
  }
}

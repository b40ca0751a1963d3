package dev.stevedore.job;

/**
 * Places a job that names a warm pool in it: the pool's feature implements it, so that the job's
 * feature need not know pools.
 */
public interface PoolPlacement {

  /**
   * The spec as it runs in its pool: the pool's image, resources and network. Refuses, as invalid
   * input, a pool that does not exist or that the tenant may not use, and a spec that asks for
   * another image, resources or network than the pool's.
   */
  JobSpec placed(JobSpec spec, String tenant);

  /**
   * Why a queued job of the pool waits for it, as its waiting reason: no container of the pool is
   * free for the tenant and the pool does not start cold. Empty when one is free, as this node sees
   * it.
   */
  java.util.Optional<String> waitingFor(String pool, String tenant);
}

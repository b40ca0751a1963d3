package dev.stevedore.metrics;

import dev.stevedore.pool.PoolChanged;
import dev.stevedore.pool.WarmPools;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Warm pool metrics of this node: containers by pool and state, and counters of jobs that found a
 * warm container (hits), found none (misses), and of containers that failed. Registered for a pool
 * when its first container changes here.
 */
@ApplicationScoped
public class PoolMetrics {

  private static final Metadata CONTAINERS =
      describe("stevedore.pool.containers", "Containers of a pool on this node, by state");
  private static final Metadata HITS =
      describe("stevedore.pool.hits", "Jobs that found a warm container of the pool free");
  private static final Metadata MISSES =
      describe("stevedore.pool.misses", "Jobs that found none free: they waited or started cold");
  private static final Metadata FAILURES =
      describe(
          "stevedore.pool.failures",
          "Containers that did not become warm, or ended while warm or busy");
  private static final List<String> STATES = List.of("warm", "busy", "starting");

  @Inject MetricRegistry registry;
  @Inject WarmPools pools;

  private final Set<String> registered = ConcurrentHashMap.newKeySet();

  void onPoolChange(@Observes PoolChanged change) {
    String pool = change.pool();
    if (registered.add(pool)) {
      for (String state : STATES) {
        registry.gauge(
            CONTAINERS,
            pools,
            p -> count(p.counts(), pool, state),
            new Tag("pool", pool),
            new Tag("state", state));
      }
    }
    Tag tag = new Tag("pool", pool);
    switch (change.event()) {
      case "busy", "sandbox" -> registry.counter(HITS, tag).inc();
      case "miss" -> registry.counter(MISSES, tag).inc();
      case "failed" -> registry.counter(FAILURES, tag).inc();
      default -> {}
    }
  }

  private static int count(Map<String, Map<String, Integer>> counts, String pool, String state) {
    Map<String, Integer> ofPool = counts.getOrDefault(pool, Map.of());
    return "starting".equals(state)
        ? ofPool.getOrDefault("starting", 0) + ofPool.getOrDefault("resetting", 0)
        : ofPool.getOrDefault(state, 0);
  }

  private static Metadata describe(String name, String description) {
    return Metadata.builder()
        .withName(name)
        .withDescription(description)
        .withUnit(MetricUnits.NONE)
        .build();
  }
}

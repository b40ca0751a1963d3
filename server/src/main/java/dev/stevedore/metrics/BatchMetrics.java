package dev.stevedore.metrics;

import dev.stevedore.batch.BatchItemState;
import dev.stevedore.batch.BatchProgressed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Batch items that ended on this node, by how they ended, each counted once when it ended: a
 * success when the processor saw its job succeed, a failure when it was recorded.
 */
@ApplicationScoped
public class BatchMetrics {

  private static final Metadata ITEMS =
      Metadata.builder()
          .withName("stevedore.batch.items")
          .withDescription("Batch items that ended, by state (SUCCEEDED, SKIPPED, FAILED)")
          .build();

  @Inject MetricRegistry registry;

  void onProgress(@Observes(during = TransactionPhase.AFTER_SUCCESS) BatchProgressed progressed) {
    for (BatchItemState state : progressed.ended()) {
      registry.counter(ITEMS, new Tag("state", state.name())).inc();
    }
  }
}

package dev.stevedore.batch;

import dev.stevedore.events.StreamHub;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

/** Tells the tenant's {@code /ws/events} listeners of a batch's progress after each change. */
@ApplicationScoped
public class BatchEvents {

  @Inject BatchRepository store;
  @Inject StreamHub hub;

  /** The message: the batch's counts as they stand after the change. */
  public record Progress(String type, String batchId, BatchView.Progress progress) {}

  void onProgress(@Observes(during = TransactionPhase.AFTER_SUCCESS) BatchProgressed progressed) {
    Batch batch = store.fresh(progressed.batchId());
    if (!hub.hasEventListeners(batch.tenantId())) {
      return; // nobody to tell: spare the count
    }
    hub.broadcast(
        batch.tenantId(),
        new Progress("batch", batch.id(), BatchView.Progress.of(store.counts(batch.id()), null)));
  }
}

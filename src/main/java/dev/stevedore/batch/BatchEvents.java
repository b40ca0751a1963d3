package dev.stevedore.batch;

import dev.stevedore.events.StreamHub;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.Map;

/** Tells the tenant's {@code /ws/events} listeners of a batch's progress after each change. */
@ApplicationScoped
public class BatchEvents {

  @Inject BatchStore store;
  @Inject StreamHub hub;

  /** The message: the batch's counts as they stand after the change. */
  public record Progress(
      String type,
      String batchId,
      long total,
      long succeeded,
      long failed,
      long skipped,
      long running,
      long left) {}

  void onProgress(@Observes(during = TransactionPhase.AFTER_SUCCESS) BatchProgressed progressed) {
    Batch batch = store.fresh(progressed.batchId());
    Map<BatchItem.State, Long> counts = store.counts(batch.id());
    long succeeded = counts.get(BatchItem.State.SUCCEEDED);
    long failed = counts.get(BatchItem.State.FAILED);
    long skipped = counts.get(BatchItem.State.SKIPPED);
    long running = counts.get(BatchItem.State.RUNNING);
    hub.broadcast(
        batch.tenantId(),
        new Progress(
            "batch",
            batch.id(),
            batch.itemCount(),
            succeeded,
            failed,
            skipped,
            running,
            batch.itemCount() - succeeded - failed - skipped - running));
  }
}

package dev.stevedore.batch;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;

/**
 * Records the chunk's item results in the chunk's transaction, so that they and the partition's
 * checkpoint commit together: after a crash an item is either recorded and past the checkpoint, or
 * neither. The processor told of each success when its job ended, so the progress event fired here
 * names no ended item: it only refreshes the listeners' counts once the records commit.
 */
@Named("batchItemWriter")
@Dependent
public class BatchItemWriter extends AbstractItemWriter {

  @Inject BatchRepository store;
  @Inject Event<BatchProgressed> progress;

  @Inject
  @BatchProperty(name = "batchId")
  String batchId;

  @Override
  public void writeItems(List<Object> results) {
    for (Object o : results) {
      BatchItemProcessor.Result result = (BatchItemProcessor.Result) o;
      store.itemEnded(batchId, result.index(), result.state(), result.exitCode(), result.reason());
    }
    progress.fire(new BatchProgressed(batchId, List.of()));
  }
}

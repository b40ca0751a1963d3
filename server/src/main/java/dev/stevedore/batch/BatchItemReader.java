package dev.stevedore.batch;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Walks one partition's items in order; its checkpoint is its position among them. On a restart it
 * goes on from the checkpoint, after first taking again the items before it that a stop interrupted
 * (left PENDING by the writer), so no item is lost and none that ended runs again.
 */
@Named("batchItemReader")
@Dependent
public class BatchItemReader extends AbstractItemReader {

  @Inject BatchRepository store;

  @Inject
  @BatchProperty(name = "batchId")
  String batchId;

  @Inject
  @BatchProperty(name = "partition")
  String partitionProperty;

  @Inject
  @BatchProperty(name = "partitions")
  String partitionsProperty;

  private final Deque<Integer> queue = new ArrayDeque<>();
  private int partition;
  private int partitions;
  private int position;

  @Override
  public void open(Serializable checkpoint) {
    partition = Integer.parseInt(partitionProperty);
    partitions = Integer.parseInt(partitionsProperty);
    position = checkpoint == null ? 0 : (Integer) checkpoint;
    Batch batch = store.fresh(batchId);
    for (BatchItem item :
        store.items(batchId, List.of(BatchItemState.PENDING, BatchItemState.RUNNING))) {
      if (isMine(item.index()) && positionOf(item.index()) < position) {
        queue.add(item.index());
      }
    }
    for (int index = partition + position * partitions;
        index < batch.itemCount();
        index += partitions) {
      queue.add(index);
    }
  }

  @Override
  public Object readItem() {
    Integer index = queue.poll();
    if (index != null) {
      position = Math.max(position, positionOf(index) + 1);
    }
    return index;
  }

  @Override
  public Serializable checkpointInfo() {
    return position;
  }

  private boolean isMine(int index) {
    return index % partitions == partition;
  }

  private int positionOf(int index) {
    return (index - partition) / partitions;
  }
}

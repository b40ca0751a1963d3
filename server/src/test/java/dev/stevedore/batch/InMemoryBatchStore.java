package dev.stevedore.batch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Batches and their items held in memory, for fast tests of the batch artifacts (mapper, reader,
 * processor, writer) and the item runner. Reads hand out the stored objects themselves; the failure
 * count of {@link #itemFailed} follows the stored query's rule: the items FAILED or SKIPPED besides
 * this one, plus this one, against the batch's limit.
 */
class InMemoryBatchStore extends BatchRepository {

  private final Map<String, Batch> batches = new HashMap<>();
  private final Map<String, List<BatchItem>> items = new HashMap<>();
  final List<BatchProgressed> progressed = new ArrayList<>();
  private int nextId = 1;

  /** Stores a new batch of {@code itemCount} PENDING items; returns its id. */
  synchronized String add(int itemCount, int parallelism, int checkpointEvery, int maxFailedItems) {
    String id = "batch-" + nextId++;
    batches.put(
        id,
        new Batch(
            id,
            "default",
            "key-1",
            "csv",
            "{}",
            itemCount,
            parallelism,
            checkpointEvery,
            maxFailedItems,
            0,
            Instant.now()));
    List<BatchItem> list = new ArrayList<>();
    for (int i = 0; i < itemCount; i++) {
      list.add(new BatchItem(id, i, "{}", null));
    }
    items.put(id, list);
    return id;
  }

  /** How many items are in each state now. */
  @Override
  public synchronized Map<BatchItemState, Long> counts(String batchId) {
    Map<BatchItemState, Long> counts = new EnumMap<>(BatchItemState.class);
    for (BatchItemState state : BatchItemState.values()) {
      counts.put(state, 0L);
    }
    items.get(batchId).forEach(i -> counts.merge(i.state(), 1L, Long::sum));
    return counts;
  }

  @Override
  public synchronized Optional<Batch> find(String id) {
    return Optional.ofNullable(batches.get(id));
  }

  @Override
  public synchronized Batch fresh(String batchId) {
    return batches.get(batchId);
  }

  @Override
  public synchronized BatchItem item(String batchId, int index) {
    return items.get(batchId).get(index);
  }

  @Override
  public synchronized List<BatchItem> items(String batchId) {
    return List.copyOf(items.get(batchId));
  }

  @Override
  public synchronized List<BatchItem> items(String batchId, List<BatchItemState> states) {
    return items.get(batchId).stream().filter(i -> states.contains(i.state())).toList();
  }

  @Override
  public synchronized void stopRequested(String batchId, boolean requested) {
    batches.get(batchId).stopRequested(requested);
  }

  @Override
  public synchronized boolean stopRequestedNow(String batchId) {
    return batches.get(batchId).stopRequested();
  }

  @Override
  synchronized boolean stopRequestedHere(String batchId) {
    return batches.get(batchId).stopRequested();
  }

  @Override
  public synchronized boolean hasFailed(String batchId) {
    return items.get(batchId).stream().anyMatch(i -> i.state() == BatchItemState.FAILED);
  }

  @Override
  synchronized void itemStarted(String batchId, int index, String jobId) {
    item(batchId, index).started(jobId);
  }

  @Override
  synchronized void itemEnded(
      String batchId, int index, BatchItemState state, Integer exitCode, String reason) {
    item(batchId, index).ended(state, exitCode, reason, Instant.now());
  }

  @Override
  public synchronized void itemJobEnded(String batchId, List<BatchItemState> ended) {
    progressed.add(new BatchProgressed(batchId, ended));
  }

  @Override
  public synchronized BatchItemState itemFailed(
      String batchId, int index, int maxFailedItems, Integer exitCode, String reason) {
    long failedBefore =
        items.get(batchId).stream()
            .filter(i -> i.index() != index)
            .filter(i -> i.state() == BatchItemState.FAILED || i.state() == BatchItemState.SKIPPED)
            .count();
    BatchItemState state =
        failedBefore + 1 > maxFailedItems ? BatchItemState.FAILED : BatchItemState.SKIPPED;
    item(batchId, index).ended(state, exitCode, reason, Instant.now());
    progressed.add(new BatchProgressed(batchId, List.of(state)));
    return state;
  }
}

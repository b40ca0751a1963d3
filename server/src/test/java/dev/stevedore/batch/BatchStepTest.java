package dev.stevedore.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stevedore.job.JobState;
import jakarta.batch.api.partition.PartitionPlan;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The batch's step as the batch runtime drives it (its job XML: a partitioned chunk step), walked
 * here one partition after the other: the mapper's partitions, each partition's reader and its
 * checkpoint, the processor, the item runner and the writer, and the item counts they leave behind,
 * also over a stop, a crash and a restart. Only the items' jobs are scripted.
 */
class BatchStepTest {

  private final InMemoryBatchStore store = new InMemoryBatchStore();
  private final ScriptedItemJobs jobs = new ScriptedItemJobs(store);
  private final ItemRunner runner = new ItemRunner();
  private final RecordingEvent<BatchProgressed> progress = new RecordingEvent<>();

  {
    runner.ends = new dev.stevedore.job.JobEnds();
    runner.store = store;
    runner.itemJobs = jobs;
  }

  private PartitionPlan plan(String batchId) {
    BatchPartitionMapper mapper = new BatchPartitionMapper();
    mapper.store = store;
    mapper.batchId = batchId;
    return mapper.mapPartitions();
  }

  private BatchItemReader reader(String batchId, Properties partition) {
    BatchItemReader reader = new BatchItemReader();
    reader.store = store;
    reader.batchId = batchId;
    reader.partitionProperty = partition.getProperty("partition");
    reader.partitionsProperty = partition.getProperty("partitions");
    return reader;
  }

  /**
   * One partition as the runtime runs it: chunks of {@code checkpointEvery} items read, processed
   * and written, the reader's checkpoint taken after each write. A failure ends the partition with
   * its chunk unwritten. Returns the last checkpoint.
   */
  private Serializable runPartition(String batchId, Properties partition, Serializable from) {
    BatchItemReader reader = reader(batchId, partition);
    BatchItemProcessor processor = new BatchItemProcessor();
    processor.store = store;
    processor.runner = runner;
    processor.batchId = batchId;
    BatchItemWriter writer = new BatchItemWriter();
    writer.store = store;
    writer.progress = progress;
    writer.batchId = batchId;
    int chunk = store.fresh(batchId).checkpointEvery();

    reader.open(from);
    Serializable checkpoint = from;
    while (true) {
      List<Object> results = new ArrayList<>();
      int read = 0;
      for (Object item; read < chunk && (item = reader.readItem()) != null; read++) {
        Object result = processor.processItem(item);
        if (result != null) {
          results.add(result);
        }
      }
      if (!results.isEmpty()) {
        writer.writeItems(results);
      }
      if (read == 0) {
        return checkpoint;
      }
      checkpoint = reader.checkpointInfo();
    }
  }

  /** Every partition of the plan from the start, one after the other; their checkpoints. */
  private List<Serializable> runStep(String batchId) {
    List<Serializable> checkpoints = new ArrayList<>();
    for (Properties partition : plan(batchId).getPartitionProperties()) {
      checkpoints.add(runPartition(batchId, partition, null));
    }
    return checkpoints;
  }

  private Map<BatchItemState, Long> counts(String batchId) {
    return store.counts(batchId);
  }

  private static Map<BatchItemState, Long> counts(
      long pending, long succeeded, long skipped, long failed) {
    return Map.of(
        BatchItemState.PENDING, pending,
        BatchItemState.RUNNING, 0L,
        BatchItemState.SUCCEEDED, succeeded,
        BatchItemState.SKIPPED, skipped,
        BatchItemState.FAILED, failed);
  }

  @Test
  void theItemsAreSplitOverAtMostOnePartitionPerItem() {
    PartitionPlan wide = plan(store.add(2, 4, 1, 0));
    PartitionPlan empty = plan(store.add(0, 4, 1, 0));
    PartitionPlan three = plan(store.add(10, 3, 1, 0));

    assertEquals(2, wide.getPartitions());
    assertEquals(2, wide.getThreads());
    assertEquals(1, empty.getPartitions(), "an empty batch still has its step");
    assertEquals(3, three.getPartitions());
    assertEquals("2", three.getPartitionProperties()[2].getProperty("partition"));
    assertEquals("3", three.getPartitionProperties()[2].getProperty("partitions"));
  }

  @Test
  void aPartitionReadsEveryNthItemAndItsCheckpointIsItsPosition() {
    String id = store.add(8, 3, 2, 0);
    Properties second = plan(id).getPartitionProperties()[1];
    BatchItemReader reader = reader(id, second);
    reader.open(null);

    List<Object> read = new ArrayList<>();
    List<Serializable> checkpoints = new ArrayList<>();
    for (Object item; (item = reader.readItem()) != null; ) {
      read.add(item);
      checkpoints.add(reader.checkpointInfo());
    }

    assertEquals(List.of(1, 4, 7), read);
    assertEquals(List.of(1, 2, 3), checkpoints);
  }

  @Test
  void everyItemSucceedsOnceAndIsCountedOnce() {
    String id = store.add(5, 2, 2, 0);

    List<Serializable> checkpoints = runStep(id);

    assertEquals(counts(0, 5, 0, 0), counts(id));
    assertEquals(List.of(0, 2, 4, 1, 3), jobs.started);
    assertEquals(List.of(3, 2), checkpoints);
    assertEquals(5, toldEnded(BatchItemState.SUCCEEDED), "each success told once, by its end");
    assertEquals(
        List.of(), progress.fired.stream().flatMap(p -> p.ended().stream()).toList(), "writer");
  }

  /** How many ended items in {@code state} the progress events named, the writer's and others. */
  private long toldEnded(BatchItemState state) {
    return java.util.stream.Stream.concat(progress.fired.stream(), store.progressed.stream())
        .flatMap(p -> p.ended().stream())
        .filter(state::equals)
        .count();
  }

  @Test
  void failuresWithinTheLimitAreSkippedAndTheOtherItemsRun() {
    String id = store.add(6, 2, 2, 2);
    jobs.fails(1, 1).fails(4, 2);

    runStep(id);

    assertEquals(counts(0, 4, 2, 0), counts(id));
    assertEquals(2, store.item(id, 4).exitCode());
  }

  @Test
  void aFailureBeyondTheLimitFailsTheBatchAndTheOtherPartitionsRunNothingMore() {
    String id = store.add(6, 2, 1, 1);
    jobs.fails(1, 1).fails(3, 1);
    Properties[] partitions = plan(id).getPartitionProperties();

    assertThrows(BatchFailedException.class, () -> runPartition(id, partitions[1], null));
    assertThrows(BatchFailedException.class, () -> runPartition(id, partitions[0], null));

    assertEquals(List.of(1, 3), jobs.started);
    assertEquals(counts(4, 0, 1, 1), counts(id));
  }

  @Test
  void aStoppedBatchRestartsWithOnlyTheItemsItsStopInterrupted() {
    String id = store.add(4, 1, 2, 0);
    jobs.ends(
        1,
        () -> {
          store.stopRequested(id, true); // an operator stops the batch while item 1 runs
          return new ItemRunner.Outcome(JobState.CANCELLED, null, "cancelled: batch stopped");
        });
    Properties only = plan(id).getPartitionProperties()[0];

    Serializable checkpoint = runPartition(id, only, null);

    assertEquals(counts(3, 1, 0, 0), counts(id));
    assertEquals(List.of(0, 1), jobs.started);

    store.stopRequested(id, false); // the restart
    jobs.ends(1, JobState.SUCCEEDED, 0, "exited with code 0");
    runPartition(id, only, checkpoint);

    assertEquals(counts(0, 4, 0, 0), counts(id));
    assertEquals(List.of(0, 1, 1, 2, 3), jobs.started, "item 0 never ran twice");
  }

  @Test
  void aRestartAfterACrashGoesOnFromTheCheckpointWithoutRunningEndedItemsAgain() {
    String id = store.add(6, 1, 2, 2);
    jobs.fails(2, 1);
    Properties only = plan(id).getPartitionProperties()[0];
    BatchItemReader first = reader(id, only);
    first.open(null);
    BatchItemProcessor processor = new BatchItemProcessor();
    processor.store = store;
    processor.runner = runner;
    processor.batchId = id;
    BatchItemWriter writer = new BatchItemWriter();
    writer.store = store;
    writer.progress = progress;
    writer.batchId = id;
    // the first chunk commits with its checkpoint, then item 2 fails and is recorded at once,
    // item 3's job succeeds, and the server dies before the second chunk commits
    writer.writeItems(
        List.of(processor.processItem(first.readItem()), processor.processItem(first.readItem())));
    Serializable committed = first.checkpointInfo();
    processor.processItem(first.readItem());
    processor.processItem(first.readItem());

    runPartition(id, only, committed);

    assertEquals(
        List.of(0, 1, 2, 3, 4, 5), jobs.started, "item 3's job ended well: it is not run again");
    assertEquals(counts(0, 5, 1, 0), counts(id));
    // Item 3's success was told when its job ended; taken over by the restart, not again (as
    // when a chunk rolls back because another item failed the batch, and it is restarted).
    assertEquals(5, toldEnded(BatchItemState.SUCCEEDED));
    assertEquals(1, toldEnded(BatchItemState.SKIPPED));
  }
}

package dev.stevedore.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stevedore.core.InvalidInputException;
import dev.stevedore.job.JobState;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the processor makes of each way an item's job can end: a result for the writer, a failure
 * recorded at once as SKIPPED within the batch's limit or FAILED beyond it, or an item left PENDING
 * for a restart.
 */
class BatchItemProcessorTest {

  private final InMemoryBatchStore store = new InMemoryBatchStore();
  private final ScriptedItemRunner runner = new ScriptedItemRunner();

  private BatchItemProcessor processor(String batchId) {
    BatchItemProcessor processor = new BatchItemProcessor();
    processor.store = store;
    processor.runner = runner;
    processor.batchId = batchId;
    return processor;
  }

  private String batch(int maxFailedItems) {
    return store.add(5, 1, 5, maxFailedItems);
  }

  private static BatchItemProcessor.Result result(
      int index, BatchItemState state, Integer exitCode, String reason) {
    return new BatchItemProcessor.Result(index, state, exitCode, reason);
  }

  @Test
  void aSucceededJobGoesToTheWriter() {
    String id = batch(0);

    Object result = processor(id).processItem(2);

    assertEquals(result(2, BatchItemState.SUCCEEDED, 0, "exited with code 0"), result);
    assertEquals(BatchItemState.PENDING, store.item(id, 2).state(), "the writer records it");
    assertEquals(
        List.of(new BatchProgressed(id, List.of(BatchItemState.SUCCEEDED))),
        store.progressed,
        "its end is told at once, not when the writer's chunk commits");
  }

  @Test
  void anItemThatEndedBeforeARestartIsNotRunAgain() {
    String id = batch(0);
    store.itemStarted(id, 1, "job-1");
    store.itemEnded(id, 1, BatchItemState.SUCCEEDED, 0, "exited with code 0");
    store.itemStarted(id, 2, "job-2");
    store.itemFailed(id, 2, 5, 1, "exited with code 1");

    assertNull(processor(id).processItem(1));
    assertNull(processor(id).processItem(2));

    assertEquals(List.of(), runner.ran);
  }

  @Test
  void aStoppedBatchLeavesItsNextItemPendingWithoutRunningIt() {
    String id = batch(0);
    store.stopRequested(id, true);

    Object result = processor(id).processItem(0);

    assertEquals(result(0, BatchItemState.PENDING, null, "the batch was stopped"), result);
    assertEquals(List.of(), runner.ran);
  }

  @Test
  void noItemRunsOnceAnotherHasFailedTheBatch() {
    String id = batch(0);
    store.itemFailed(id, 4, 0, 1, "exited with code 1");

    assertThrows(BatchFailedException.class, () -> processor(id).processItem(0));

    assertEquals(List.of(), runner.ran);
  }

  @Test
  void aFailedJobWithinTheLimitIsRecordedSkippedAtOnce() {
    String id = batch(1);
    runner.fails(3, 7);

    assertNull(processor(id).processItem(3), "nothing left for the writer");

    BatchItem item = store.item(id, 3);
    assertEquals(BatchItemState.SKIPPED, item.state());
    assertEquals(7, item.exitCode());
    assertEquals("exited with code 7", item.reason());
    assertEquals(
        List.of(new BatchProgressed(id, List.of(BatchItemState.SKIPPED))), store.progressed);
  }

  @Test
  void aFailedJobBeyondTheLimitFailsTheBatch() {
    String id = batch(1);
    runner.fails(0, 1).fails(3, 1);
    BatchItemProcessor processor = processor(id);
    processor.processItem(0);

    BatchFailedException failure =
        assertThrows(BatchFailedException.class, () -> processor.processItem(3));

    assertEquals(
        "item 3 failed (exited with code 1) and the batch passes over at most 1 failed items",
        failure.getMessage());
    assertEquals(BatchItemState.SKIPPED, store.item(id, 0).state());
    assertEquals(BatchItemState.FAILED, store.item(id, 3).state());
  }

  @Test
  void aJobCancelledByTheBatchsStopLeavesTheItemPending() {
    String id = batch(0);
    runner.ends(
        1,
        () -> {
          store.stopRequested(id, true); // the stop cancels the item's job
          return new ItemRunner.Outcome(JobState.CANCELLED, null, "cancelled: batch stopped");
        });

    Object result = processor(id).processItem(1);

    assertEquals(result(1, BatchItemState.PENDING, null, "the batch was stopped"), result);
    assertEquals(
        List.of(new BatchProgressed(id, List.of())),
        store.progressed,
        "told at once, naming no ended item: it is left to run again");
  }

  @Test
  void aJobCancelledByItsOwnerIsAFailedItem() {
    String id = batch(1);
    runner.ends(1, JobState.CANCELLED, null, "cancelled by its owner");

    processor(id).processItem(1);

    assertEquals(BatchItemState.SKIPPED, store.item(id, 1).state());
    assertEquals("cancelled by its owner", store.item(id, 1).reason());
  }

  @Test
  void aWaitInterruptedByAStopLeavesTheItemPending() {
    String id = batch(0);
    runner.ends(
        1,
        () -> {
          throw new ItemInterruptedException();
        });

    Object result = processor(id).processItem(1);

    assertEquals(result(1, BatchItemState.PENDING, null, "the batch was stopped"), result);
  }

  @Test
  void aJobItsSubmissionRefusesIsAFailedItem() {
    String id = batch(1);
    runner.ends(
        2,
        () -> {
          throw InvalidInputException.forField("image", "is not allowed here");
        });

    processor(id).processItem(2);

    assertEquals(BatchItemState.SKIPPED, store.item(id, 2).state());
    assertEquals("image: is not allowed here", store.item(id, 2).reason());
  }
}

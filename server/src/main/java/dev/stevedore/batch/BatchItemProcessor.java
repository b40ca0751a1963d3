package dev.stevedore.batch;

import dev.stevedore.core.DomainException;
import dev.stevedore.job.JobState;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.ItemProcessor;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;

/**
 * Runs one item as an ordinary job and waits for its end. A success goes to the writer; a failure
 * is recorded at once (SKIPPED within the batch's limit, else FAILED, which fails the step); an
 * item whose job an operator's stop cancelled goes to the writer as PENDING, to run again on
 * restart.
 *
 * <p>The progress moves when the job ends, not when the writer's chunk commits: the counts already
 * go by the job's end (see {@link BatchRepository#counts}), and the end is told at once. A success
 * is told as an ended item only if this processor saw it happen: a job taken over from an earlier
 * execution that had succeeded already was told by that execution.
 */
@Named("batchItemProcessor")
@Dependent
public class BatchItemProcessor implements ItemProcessor {

  @Inject BatchRepository store;
  @Inject ItemRunner runner;

  @Inject
  @BatchProperty(name = "batchId")
  String batchId;

  /** What the writer records for an item. */
  record Result(int index, BatchItemState state, Integer exitCode, String reason) {}

  @Override
  public Object processItem(Object read) {
    int index = (Integer) read;
    Batch batch = store.fresh(batchId);
    BatchItem item = store.item(batchId, index);
    if (item.state().isFinished()) {
      return null; // recorded before a restart: never run twice
    }
    if (batch.stopRequested()) {
      return new Result(index, BatchItemState.PENDING, null, "the batch was stopped");
    }
    if (store.hasFailed(batchId)) {
      throw new BatchFailedException("another item failed the batch; item " + index + " not run");
    }
    ItemRunner.Outcome outcome;
    String jobBefore = item.state() == BatchItemState.RUNNING ? item.jobId() : null;
    boolean succeededBefore = false;
    try {
      String jobId = runner.jobFor(batch, item);
      succeededBefore = jobId.equals(jobBefore) && runner.hasSucceeded(jobId);
      outcome = runner.awaitEnd(jobId);
    } catch (ItemInterruptedException e) {
      return new Result(index, BatchItemState.PENDING, null, "the batch was stopped");
    } catch (DomainException refused) {
      // A rule only the job's own submission checks (429s are waited out in jobFor).
      outcome = new ItemRunner.Outcome(JobState.FAILED, null, refused.getMessage());
    }
    switch (outcome.state()) {
      case SUCCEEDED:
        store.itemJobEnded(
            batchId, succeededBefore ? List.of() : List.of(BatchItemState.SUCCEEDED));
        return new Result(index, BatchItemState.SUCCEEDED, outcome.exitCode(), outcome.reason());
      case CANCELLED:
        if (store.stopRequestedNow(batchId)) {
          store.itemJobEnded(batchId, List.of()); // it counts as left from now
          return new Result(index, BatchItemState.PENDING, null, "the batch was stopped");
        }
        break;
      default:
        break;
    }
    BatchItemState recorded =
        store.itemFailed(
            batchId, index, batch.maxFailedItems(), outcome.exitCode(), outcome.reason());
    if (recorded == BatchItemState.FAILED) {
      throw new BatchFailedException(
          "item "
              + index
              + " failed ("
              + outcome.reason()
              + ") and the batch passes over at most "
              + batch.maxFailedItems()
              + " failed items");
    }
    return null; // SKIPPED, recorded already
  }
}

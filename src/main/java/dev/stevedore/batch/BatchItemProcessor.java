package dev.stevedore.batch;

import dev.stevedore.core.DomainException;
import dev.stevedore.job.JobState;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.ItemProcessor;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Runs one item as an ordinary job and waits for its end. A success goes to the writer; a failure
 * is recorded at once (SKIPPED within the batch's limit, else FAILED, which fails the step); an
 * item whose job an operator's stop cancelled goes to the writer as PENDING, to run again on
 * restart.
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
  record Result(int index, BatchItem.State state, Integer exitCode, String reason) {}

  @Override
  public Object processItem(Object read) {
    int index = (Integer) read;
    Batch batch = store.fresh(batchId);
    BatchItem item = store.item(batchId, index);
    if (item.state().isFinished()) {
      return null; // recorded before a restart: never run twice
    }
    if (batch.stopRequested()) {
      return new Result(index, BatchItem.State.PENDING, null, "the batch was stopped");
    }
    if (store.hasFailed(batchId)) {
      throw new BatchFailedException("another item failed the batch; item " + index + " not run");
    }
    ItemRunner.Outcome outcome;
    try {
      outcome = runner.awaitEnd(runner.jobFor(batch, item));
    } catch (ItemInterruptedException e) {
      return new Result(index, BatchItem.State.PENDING, null, "the batch was stopped");
    } catch (DomainException refused) {
      // A rule only the job's own submission checks (429s are waited out in jobFor).
      outcome = new ItemRunner.Outcome(JobState.FAILED, null, refused.getMessage());
    }
    switch (outcome.state()) {
      case SUCCEEDED:
        return new Result(index, BatchItem.State.SUCCEEDED, outcome.exitCode(), outcome.reason());
      case CANCELLED:
        if (store.stopRequestedNow(batchId)) {
          return new Result(index, BatchItem.State.PENDING, null, "the batch was stopped");
        }
        break;
      default:
        break;
    }
    BatchItem.State recorded =
        store.itemFailed(
            batchId, index, batch.maxFailedItems(), outcome.exitCode(), outcome.reason());
    if (recorded == BatchItem.State.FAILED) {
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

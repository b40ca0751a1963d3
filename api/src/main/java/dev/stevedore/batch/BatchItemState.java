package dev.stevedore.batch;

/** Where a batch item stands; the server's batch transitions hold the moves between them. */
public enum BatchItemState {
  /** Not run yet, or interrupted by an operator's stop: runs when the batch runs. */
  PENDING,
  /** Its job ({@code jobId}) is queued or running. */
  RUNNING,
  SUCCEEDED,
  /** Failed, and the batch's failure limit was passed with it: the batch failed. */
  FAILED,
  /** Failed within the batch's failure limit: recorded and passed over. */
  SKIPPED;

  public boolean isFinished() {
    return this == SUCCEEDED || this == FAILED || this == SKIPPED;
  }
}

package dev.stevedore.batch;

import dev.stevedore.core.ConflictException;
import dev.stevedore.core.NotFoundException;

/** The answers a batch operation can refuse with. */
final class BatchExceptions {

  private BatchExceptions() {}

  /** No batch with this id (for this caller). */
  static NotFoundException notFound(String id) {
    return new NotFoundException("batch", "There is no batch with id " + id);
  }

  /** The batch's execution is not in a state that allows this. */
  static ConflictException wrongState(String id, String status, String allowed) {
    return new ConflictException(
        "batch-state",
        "The batch is not in a state that allows this",
        "Batch " + id + " is " + status + "; " + allowed);
  }
}

package dev.stevedore.batch;

import dev.stevedore.rest.ApiException;

/** The answers a batch operation can refuse with. */
final class BatchExceptions {

  private BatchExceptions() {}

  /** No batch with this id (for this caller): 404. */
  static class NotFound extends ApiException {
    NotFound(String id) {
      super(404, "batch-not-found", "No such batch", "There is no batch with id " + id);
    }
  }

  /** The batch's execution is not in a state that allows this: 409. */
  static class WrongState extends ApiException {
    WrongState(String id, String status, String allowed) {
      super(
          409,
          "batch-state",
          "The batch is not in a state that allows this",
          "Batch " + id + " is " + status + "; " + allowed);
    }
  }
}

package dev.stevedore.batch;

/** More items failed than the batch may pass over: the step, and so the batch, fails. */
class BatchFailedException extends RuntimeException {

  BatchFailedException(String message) {
    super(message);
  }
}

package dev.stevedore.batch;

/** More items failed than the batch may pass over: the step, and so the batch, fails. */
class BatchFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BatchFailedException(String message) {
    super(message);
  }
}

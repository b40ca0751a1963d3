package dev.stevedore.batch;

/** An item could not finish because its batch is being stopped or its thread was interrupted. */
class ItemInterruptedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ItemInterruptedException() {
    super("the batch is stopping", null, false, false);
  }
}

package dev.stevedore.batch;

import java.util.List;

/**
 * Something changed in a batch's item counts; fired inside the transaction that changed them, with
 * the states of the items that ended in it (empty when an item only started).
 */
public record BatchProgressed(String batchId, List<BatchItem.State> ended) {}

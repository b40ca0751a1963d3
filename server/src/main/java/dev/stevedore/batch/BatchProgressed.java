package dev.stevedore.batch;

import java.util.List;

/**
 * Something changed in a batch's item counts; fired inside the transaction that changed them (or,
 * when an item's job ends, outside any), with the states of the items that ended with it: each
 * item's end is named once, when it happens (a success when the processor sees its job succeed, a
 * failure when it is recorded). Empty when an item only started, or when its end was named before.
 */
public record BatchProgressed(String batchId, List<BatchItemState> ended) {}

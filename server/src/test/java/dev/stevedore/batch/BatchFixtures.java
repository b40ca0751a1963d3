package dev.stevedore.batch;

import dev.stevedore.core.Ids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Batches stored the way a submission stores them, without their files or their execution, for the
 * in-server tests of the batch job (it.inserver).
 */
public final class BatchFixtures {

  private BatchFixtures() {}

  /**
   * Stores a batch of {@code tenant} with {@code items} pending items, in the caller's transaction,
   * and returns its id.
   */
  public static String insert(
      BatchRepository store, String tenant, int items, int parallelism, int checkpointEvery) {
    String id = Ids.next();
    Batch batch =
        new Batch(
            id,
            tenant,
            "in-server-test",
            "in-server-test",
            "{\"image\":\"stevedore-it/never-pulled:never\"}",
            items,
            parallelism,
            checkpointEvery,
            0,
            0,
            Instant.now());
    List<BatchItem> rows = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      rows.add(new BatchItem(id, i, "{}", null));
    }
    store.insert(batch, rows);
    return id;
  }
}

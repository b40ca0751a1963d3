package dev.stevedore.batch;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.partition.PartitionMapper;
import jakarta.batch.api.partition.PartitionPlan;
import jakarta.batch.api.partition.PartitionPlanImpl;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Properties;

/**
 * Splits a batch's items over {@code parallelism} partitions: partition p takes the items p, p + n,
 * p + 2n … The plan depends only on the batch, so a restart gets the same partitions back, each
 * with its own checkpoint.
 */
@Named("batchPartitionMapper")
@Dependent
public class BatchPartitionMapper implements PartitionMapper {

  @Inject BatchRepository store;

  @Inject
  @BatchProperty(name = "batchId")
  String batchId;

  @Override
  public PartitionPlan mapPartitions() {
    Batch batch = store.fresh(batchId);
    int partitions = Math.max(1, Math.min(batch.parallelism(), batch.itemCount()));
    Properties[] properties = new Properties[partitions];
    for (int p = 0; p < partitions; p++) {
      properties[p] = new Properties();
      properties[p].setProperty("partition", Integer.toString(p));
      properties[p].setProperty("partitions", Integer.toString(partitions));
    }
    PartitionPlanImpl plan = new PartitionPlanImpl();
    plan.setPartitions(partitions);
    plan.setThreads(partitions);
    plan.setPartitionProperties(properties);
    return plan;
  }
}

package it.inserver;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;

/**
 * Stands in for the writer of the batch job (which records the items' ends): records each chunk,
 * with the job's and the step's properties as the job definition sets them.
 */
@Named("batchItemWriter")
@Dependent
public class RecordingItemWriter extends AbstractItemWriter {

  @Inject ItemRecorder recorder;
  @Inject JobContext job;
  @Inject StepContext step;

  @Inject
  @BatchProperty(name = "batchId")
  String batchId;

  @Override
  public void writeItems(List<Object> items) {
    recorder.written(
        batchId,
        new ItemRecorder.Chunk(
            items.stream().map(Integer.class::cast).toList(),
            job.getProperties().getProperty("batchId"),
            step.getProperties().getProperty("jakarta.transaction.global.timeout")));
  }
}

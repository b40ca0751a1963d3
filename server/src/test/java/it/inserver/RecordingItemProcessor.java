package it.inserver;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.ItemProcessor;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Stands in for the processor of the batch job (which runs each item as a job): records the item
 * and the batch id the job definition hands it.
 */
@Named("batchItemProcessor")
@Dependent
public class RecordingItemProcessor implements ItemProcessor {

  @Inject ItemRecorder recorder;

  @Inject
  @BatchProperty(name = "batchId")
  String batchId;

  @Override
  public Object processItem(Object item) {
    recorder.processed(batchId, (Integer) item);
    return item;
  }
}

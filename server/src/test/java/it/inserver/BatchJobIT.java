package it.inserver;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stevedore.batch.BatchFixtures;
import dev.stevedore.batch.BatchItemReader;
import dev.stevedore.batch.BatchPartitionMapper;
import dev.stevedore.batch.BatchRepository;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.StepExecution;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.hamcrest.Matcher;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The batch job as defined in META-INF/batch-jobs/stevedore-batch.xml starts in the server's batch
 * runtime and its step is wired as the definition says: the real partition mapper splits a stored
 * batch, the real reader walks each partition's items, and chunks of {@code checkpointEvery} items
 * reach the processor and writer with the job's parameters. The processor and writer are stand-ins
 * under the names the definition refers to (the real ones run each item as a job, which the
 * end-to-end BatchesIT covers).
 */
@ExtendWith(ArquillianExtension.class)
class BatchJobIT {

  private static final String JOB = "stevedore-batch";

  @Deployment
  static WebArchive deployment() {
    return InServerArchive.of(
            "batch-job-it",
            BatchPartitionMapper.class,
            BatchItemReader.class,
            BatchFixtures.class,
            BatchJobIT.class,
            ItemRecorder.class,
            RecordingItemProcessor.class,
            RecordingItemWriter.class,
            TestCaller.class,
            Transactions.class,
            TestTenants.class)
        .addAsResource("META-INF/batch-jobs/" + JOB + ".xml")
        .addAsLibraries(
            InServerArchive.libraryOf(Awaitility.class), InServerArchive.libraryOf(Matcher.class));
  }

  @Inject BatchRepository store;
  @Inject ItemRecorder recorder;
  @Inject Transactions tx;
  @Inject TestTenants testTenants;

  private String tenant;

  @BeforeEach
  void tenant() {
    tenant = testTenants.create(0, null);
  }

  @AfterEach
  void removeTenant() {
    testTenants.remove(tenant);
  }

  @Test
  void everyItemPassesOnceInChunksOfItsPartition() {
    // 7 items over 3 partitions, a checkpoint every 2 items.
    String batch = tx.inOne(() -> BatchFixtures.insert(store, tenant, 7, 3, 2));
    Properties parameters = new Properties();
    parameters.setProperty("batchId", batch);
    parameters.setProperty("checkpointEvery", "2");
    parameters.setProperty("chunkTimeoutSeconds", "900");
    JobOperator operator = BatchRuntime.getJobOperator();

    long execution = operator.start(JOB, parameters);

    // In this thread: the batch runtime answers only the caller signed in here.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInSameThread()
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> operator.getJobExecution(execution).getBatchStatus(),
            status -> status != BatchStatus.STARTING && status != BatchStatus.STARTED);
    assertEquals(BatchStatus.COMPLETED, operator.getJobExecution(execution).getBatchStatus());
    List<StepExecution> steps = operator.getStepExecutions(execution);
    assertEquals(List.of("items"), steps.stream().map(StepExecution::getStepName).toList());
    assertEquals(BatchStatus.COMPLETED, steps.get(0).getBatchStatus());

    assertEquals(
        IntStream.range(0, 7).boxed().toList(),
        recorder.processed(batch).stream().sorted().toList(),
        "every item once");
    // Partition p takes the items p, p + 3, p + 6 in order, two to a chunk.
    List<ItemRecorder.Chunk> chunks = recorder.written(batch);
    assertEquals(4, chunks.size(), chunks.toString());
    assertEquals(
        Set.of(List.of(0, 3), List.of(6), List.of(1, 4), List.of(2, 5)),
        Set.copyOf(chunks.stream().map(ItemRecorder.Chunk::items).toList()));
    for (ItemRecorder.Chunk chunk : chunks) {
      assertEquals(batch, chunk.jobBatchId(), "the job's batchId property");
      assertEquals("900", chunk.chunkTimeout(), "the chunk transaction's timeout");
    }
  }
}

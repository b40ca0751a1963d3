package dev.stevedore.batch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.stevedore.core.JobId;
import dev.stevedore.job.JobState;
import dev.stevedore.job.JobStateChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Which job an item runs in (a new one, or the one it has if that can still end well) and how its
 * end is awaited: read at once if it has ended, else woken by the job's terminal state change.
 */
class ItemRunnerTest {

  private final InMemoryBatchStore store = new InMemoryBatchStore();
  private final ScriptedItemJobs jobs = new ScriptedItemJobs(store);
  private final ItemRunner runner = new ItemRunner();
  private final String batchId = store.add(3, 1, 1, 0);

  {
    runner.store = store;
    runner.itemJobs = jobs;
    runner.ends = new dev.stevedore.job.JobEnds();
  }

  private static String job(int index, int run) {
    return ScriptedItemJobs.jobId(index, run);
  }

  private BatchItem startedBefore(int index) {
    jobs.start(store.fresh(batchId), store.item(batchId, index));
    return store.item(batchId, index);
  }

  @Test
  void aPendingItemGetsANewJob() {
    String job = runner.jobFor(store.fresh(batchId), store.item(batchId, 0));

    assertEquals(job(0, 1), job);
    assertEquals(BatchItemState.RUNNING, store.item(batchId, 0).state());
    assertEquals(List.of(0), jobs.started);
  }

  @Test
  void anItemWhoseJobCanStillEndWellKeepsIt() {
    BatchItem running = startedBefore(0);
    jobs.ends(0, JobState.RUNNING, null, "container started");
    BatchItem succeeded = startedBefore(1);

    assertEquals(job(0, 1), runner.jobFor(store.fresh(batchId), running));
    assertEquals(job(1, 1), runner.jobFor(store.fresh(batchId), succeeded));
    assertEquals(List.of(0, 1), jobs.started, "no second job");
  }

  @Test
  void anItemWhoseJobFailedOrIsGoneGetsANewOne() {
    BatchItem failed = startedBefore(0);
    jobs.fails(0, 1);
    BatchItem gone = startedBefore(1);
    jobs.ends(1, () -> null);

    assertEquals(job(0, 2), runner.jobFor(store.fresh(batchId), failed));
    assertEquals(job(1, 2), runner.jobFor(store.fresh(batchId), gone));
  }

  @Test
  void anEndedJobsOutcomeIsReadAtOnceAndAGoneJobHasFailed() {
    jobs.fails(0, 3).ends(1, () -> null);

    assertEquals(
        new ItemRunner.Outcome(JobState.FAILED, 3, "exited with code 3"),
        runner.awaitEnd(job(0, 1)));
    assertEquals(
        new ItemRunner.Outcome(JobState.FAILED, null, "its job was deleted"),
        runner.awaitEnd(job(1, 1)));
  }

  @Test
  void theJobsTerminalStateChangeEndsTheWait() throws Exception {
    AtomicReference<ItemRunner.Outcome> now =
        new AtomicReference<>(new ItemRunner.Outcome(JobState.RUNNING, null, "container started"));
    CountDownLatch asked = new CountDownLatch(1);
    jobs.ends(
        0,
        () -> {
          asked.countDown();
          return now.get();
        });
    CompletableFuture<ItemRunner.Outcome> waiting =
        CompletableFuture.supplyAsync(() -> runner.awaitEnd(job(0, 1)));
    assertEquals(true, asked.await(5, TimeUnit.SECONDS));

    ItemRunner.Outcome end = new ItemRunner.Outcome(JobState.SUCCEEDED, 0, "exited with code 0");
    now.set(end);
    runner.ends.onStateChange(terminal(JobState.SUCCEEDED));

    // Sooner than the wait's fallback poll (5 s) would see it.
    await().atMost(Duration.ofSeconds(4)).until(waiting::isDone);
    assertEquals(end, waiting.get());
  }

  @Test
  void anInterruptedWaitEndsTheItemAsInterrupted() throws Exception {
    jobs.ends(0, JobState.QUEUED, null, "submitted");
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                runner.awaitEnd(job(0, 1));
              } catch (RuntimeException e) {
                failure.set(e);
              }
            });
    waiter.start();
    await().until(() -> waiter.getState() == Thread.State.TIMED_WAITING);

    waiter.interrupt();
    waiter.join(TimeUnit.SECONDS.toMillis(5));

    assertInstanceOf(ItemInterruptedException.class, failure.get());
  }

  private static JobStateChanged terminal(JobState state) {
    Instant now = Instant.now();
    return new JobStateChanged(
        new JobId(job(0, 1)),
        "default",
        JobState.RUNNING,
        state,
        1,
        0,
        "exited with code 0",
        now,
        now,
        true);
  }
}

package dev.stevedore.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stevedore.job.JobState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The wait for an item's job ends with an outcome, never with an exception of the wait itself. */
class ItemRunnerWaitLimitTest {

  private static ItemRunner runnerSeeing(ItemRunner.Outcome outcome) {
    ItemRunner runner = new ItemRunner();
    runner.ends = new dev.stevedore.job.JobEnds();
    runner.itemJobs =
        new ItemJobs() {
          @Override
          public ItemRunner.Outcome outcome(String jobId) {
            return outcome;
          }
        };
    return runner;
  }

  @Test
  void aJobThatHasEndedIsTheItemsOutcome() {
    ItemRunner.Outcome ended = new ItemRunner.Outcome(JobState.SUCCEEDED, 0, "exited with code 0");
    assertEquals(ended, runnerSeeing(ended).awaitEnd("job"));
  }

  @Test
  void aJobThatIsGoneFailsTheItem() {
    ItemRunner.Outcome outcome = runnerSeeing(null).awaitEnd("job");
    assertEquals(JobState.FAILED, outcome.state());
    assertEquals("its job was deleted", outcome.reason());
  }

  @Test
  void aJobWithoutAnEndWithinTheWaitLimitFailsTheItem() {
    ItemRunner runner = runnerSeeing(new ItemRunner.Outcome(JobState.RUNNING, null, null));
    runner.waitLimit = Duration.ZERO;
    ItemRunner.Outcome outcome = runner.awaitEnd("job");
    assertEquals(JobState.FAILED, outcome.state());
    assertEquals(ItemRunner.NO_END, outcome.reason());
  }

  @Test
  void theWaitLimitIsTheLongestChunk() {
    assertEquals(BatchService.LONGEST_CHUNK, new ItemRunner().waitLimit);
  }
}

package dev.stevedore.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stevedore.job.JobState;
import org.junit.jupiter.api.Test;

/**
 * The state an item counts in for a batch's progress: its recorded state, except that an item still
 * recorded RUNNING counts by its job's end as soon as that is stored.
 */
class BatchCountsTest {

  private static BatchItem.State counted(BatchItem.State recorded, JobState job) {
    return BatchRepository.counted(recorded, job);
  }

  @Test
  void aRunningItemWhoseJobSucceededCountsAsSucceeded() {
    assertEquals(BatchItem.State.SUCCEEDED, counted(BatchItem.State.RUNNING, JobState.SUCCEEDED));
  }

  @Test
  void aRunningItemWhoseJobEndedOtherwiseCountsAsLeftUntilItIsRecorded() {
    for (JobState ended :
        new JobState[] {JobState.FAILED, JobState.TIMED_OUT, JobState.CANCELLED}) {
      assertEquals(BatchItem.State.PENDING, counted(BatchItem.State.RUNNING, ended), "" + ended);
    }
  }

  @Test
  void aRunningItemWhoseJobHasNotEndedCountsAsRunning() {
    for (JobState live : new JobState[] {JobState.QUEUED, JobState.STARTING, JobState.RUNNING}) {
      assertEquals(BatchItem.State.RUNNING, counted(BatchItem.State.RUNNING, live), "" + live);
    }
    assertEquals(
        BatchItem.State.RUNNING,
        counted(BatchItem.State.RUNNING, null),
        "its job was deleted: the processor records that at once");
  }

  @Test
  void aRecordedStateStandsWhateverItsJob() {
    for (BatchItem.State recorded : BatchItem.State.values()) {
      if (recorded != BatchItem.State.RUNNING) {
        assertEquals(recorded, counted(recorded, JobState.SUCCEEDED), "" + recorded);
        assertEquals(recorded, counted(recorded, null), "" + recorded);
      }
    }
  }
}

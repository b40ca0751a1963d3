package dev.stevedore.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stevedore.job.JobState;
import org.junit.jupiter.api.Test;

/**
 * The state an item counts in for a batch's progress: its recorded state, except that an item still
 * recorded RUNNING counts by its job's end as soon as that is stored.
 */
class BatchCountsTest {

  private static BatchItemState counted(BatchItemState recorded, JobState job) {
    return BatchRepository.counted(recorded, job);
  }

  @Test
  void aRunningItemWhoseJobSucceededCountsAsSucceeded() {
    assertEquals(BatchItemState.SUCCEEDED, counted(BatchItemState.RUNNING, JobState.SUCCEEDED));
  }

  @Test
  void aRunningItemWhoseJobEndedOtherwiseCountsAsLeftUntilItIsRecorded() {
    for (JobState ended :
        new JobState[] {JobState.FAILED, JobState.TIMED_OUT, JobState.CANCELLED}) {
      assertEquals(BatchItemState.PENDING, counted(BatchItemState.RUNNING, ended), "" + ended);
    }
  }

  @Test
  void aRunningItemWhoseJobHasNotEndedCountsAsRunning() {
    for (JobState live : new JobState[] {JobState.QUEUED, JobState.STARTING, JobState.RUNNING}) {
      assertEquals(BatchItemState.RUNNING, counted(BatchItemState.RUNNING, live), "" + live);
    }
    assertEquals(
        BatchItemState.RUNNING,
        counted(BatchItemState.RUNNING, null),
        "its job was deleted: the processor records that at once");
  }

  @Test
  void aRecordedStateStandsWhateverItsJob() {
    for (BatchItemState recorded : BatchItemState.values()) {
      if (recorded != BatchItemState.RUNNING) {
        assertEquals(recorded, counted(recorded, JobState.SUCCEEDED), "" + recorded);
        assertEquals(recorded, counted(recorded, null), "" + recorded);
      }
    }
  }
}

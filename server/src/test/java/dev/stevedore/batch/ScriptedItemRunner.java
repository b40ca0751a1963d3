package dev.stevedore.batch;

import dev.stevedore.job.JobState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs no job: each item's job ends as the test scripted (succeeds by default), and the items run
 * are recorded in order.
 */
final class ScriptedItemRunner extends ItemRunner {

  private final Map<Integer, Supplier<Outcome>> ends = new HashMap<>();
  final List<Integer> ran = new ArrayList<>();

  /** The job of this item ends so. */
  ScriptedItemRunner ends(int index, JobState state, Integer exitCode, String reason) {
    return ends(index, () -> new Outcome(state, exitCode, reason));
  }

  /** The job of this item ends with what {@code end} says or throws. */
  ScriptedItemRunner ends(int index, Supplier<Outcome> end) {
    ends.put(index, end);
    return this;
  }

  /** The job of this item fails with this exit code. */
  ScriptedItemRunner fails(int index, int exitCode) {
    return ends(index, JobState.FAILED, exitCode, "exited with code " + exitCode);
  }

  @Override
  synchronized String jobFor(Batch batch, BatchItem item) {
    ran.add(item.index());
    return Integer.toString(item.index());
  }

  @Override
  public Outcome awaitEnd(String jobId) {
    Supplier<Outcome> end;
    synchronized (this) {
      end = ends.get(Integer.parseInt(jobId));
    }
    return end == null ? new Outcome(JobState.SUCCEEDED, 0, "exited with code 0") : end.get();
  }
}

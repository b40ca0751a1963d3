package dev.stevedore.batch;

import dev.stevedore.job.JobState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The jobs of batch items without a job service: starting one records it on its item as the real
 * one does, and each item's job stands as the test scripted (it has succeeded by default). The
 * items whose jobs were started are recorded in order.
 */
final class ScriptedItemJobs extends ItemJobs {

  private final InMemoryBatchStore items;
  private final Map<Integer, Supplier<ItemRunner.Outcome>> ends = new HashMap<>();
  final List<Integer> started = new ArrayList<>();

  ScriptedItemJobs(InMemoryBatchStore items) {
    this.items = items;
  }

  /** The job of this item stands so (each time it is read). */
  ScriptedItemJobs ends(int index, JobState state, Integer exitCode, String reason) {
    return ends(index, () -> new ItemRunner.Outcome(state, exitCode, reason));
  }

  /** The job of this item stands as {@code end} says, or its read throws what it throws. */
  ScriptedItemJobs ends(int index, Supplier<ItemRunner.Outcome> end) {
    synchronized (this) {
      ends.put(index, end);
    }
    return this;
  }

  /** The job of this item fails with this exit code. */
  ScriptedItemJobs fails(int index, int exitCode) {
    return ends(index, JobState.FAILED, exitCode, "exited with code " + exitCode);
  }

  /** The id of the job of this run (1, 2 …) of the item. */
  static String jobId(int index, int run) {
    return String.format("00000000-0000-7000-8000-%04d%08d", index, run);
  }

  @Override
  public synchronized String start(Batch batch, BatchItem item) {
    String jobId = jobId(item.index(), item.runs() + 1);
    items.itemStarted(batch.id(), item.index(), jobId);
    started.add(item.index());
    return jobId;
  }

  @Override
  public ItemRunner.Outcome outcome(String jobId) {
    Supplier<ItemRunner.Outcome> end;
    synchronized (this) {
      end = ends.get(Integer.parseInt(jobId.substring(24, 28)));
    }
    return end == null
        ? new ItemRunner.Outcome(JobState.SUCCEEDED, 0, "exited with code 0")
        : end.get();
  }
}

package dev.stevedore.batch;

import dev.stevedore.core.AuditSubject;
import dev.stevedore.job.JobSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A batch as the API shows it: its settings, its progress and its executions. */
@Schema(name = "Batch", description = "A batch, its progress and its executions")
public record BatchView(
    String id,
    String name,
    String tenant,
    @Schema(
            description =
                "The latest execution's state: STARTING, STARTED, STOPPING, STOPPED, FAILED,"
                    + " COMPLETED or ABANDONED")
        String state,
    Instant createdAt,
    int parallelism,
    int checkpointEvery,
    int maxFailedItems,
    int itemRetries,
    @Schema(description = "The template, secrets shown as ***") JobSpec template,
    Progress progress,
    @Schema(description = "Oldest first") List<Execution> executions)
    implements AuditSubject {

  @Override
  public String auditTarget() {
    return id;
  }

  @Schema(name = "BatchProgress", description = "Item counts")
  public record Progress(
      long total,
      long succeeded,
      @Schema(description = "Failed past the limit: they failed the batch") long failed,
      @Schema(description = "Failed within the limit: passed over") long skipped,
      long running,
      @Schema(description = "Not run yet, or to run again") long left,
      @Schema(
              description =
                  "Estimated seconds until the last item ends, from this execution's pace so far;"
                      + " null when there is nothing to go by")
          Long secondsLeft) {

    /** From the item counts: every item is in exactly one state, PENDING ones are left. */
    public static Progress of(Map<BatchItemState, Long> counts, Long secondsLeft) {
      return new Progress(
          counts.values().stream().mapToLong(Long::longValue).sum(),
          counts.get(BatchItemState.SUCCEEDED),
          counts.get(BatchItemState.FAILED),
          counts.get(BatchItemState.SKIPPED),
          counts.get(BatchItemState.RUNNING),
          counts.get(BatchItemState.PENDING),
          secondsLeft);
    }

    public Progress withSecondsLeft(Long seconds) {
      return new Progress(total, succeeded, failed, skipped, running, left, seconds);
    }
  }

  @Schema(name = "BatchExecution", description = "One run of the batch: the first, or a restart")
  public record Execution(
      long id, String state, String exitStatus, Instant startedAt, Instant endedAt) {}
}

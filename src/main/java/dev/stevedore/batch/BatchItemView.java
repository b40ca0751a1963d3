package dev.stevedore.batch;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One item of a batch as the API shows it. */
@Schema(name = "BatchItem", description = "One work item and what became of it")
public record BatchItemView(
    int index,
    @Schema(description = "PENDING, RUNNING, SUCCEEDED, FAILED or SKIPPED") BatchItem.State state,
    @Schema(description = "The item's (latest) job") String jobId,
    @Schema(description = "Jobs started for it: more than 1 only after interruptions") int runs,
    Integer exitCode,
    String reason,
    Instant finishedAt,
    @Schema(description = "Its uploaded input file, if any") String input) {

  static BatchItemView of(BatchItem item) {
    return new BatchItemView(
        item.index(),
        item.state(),
        item.jobId(),
        item.runs(),
        item.exitCode(),
        item.reason(),
        item.finishedAt(),
        item.inputName());
  }
}

package dev.stevedore.batch;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One item of a batch as the API shows it. */
@Schema(name = "BatchItem", description = "One work item and what became of it")
public record BatchItemView(
    int index,
    @Schema(description = "PENDING, RUNNING, SUCCEEDED, FAILED or SKIPPED") BatchItemState state,
    @Schema(description = "The item's (latest) job") String jobId,
    @Schema(description = "Jobs started for it: more than 1 only after interruptions") int runs,
    Integer exitCode,
    String reason,
    Instant finishedAt,
    @Schema(description = "Its uploaded input file, if any") String input) {}

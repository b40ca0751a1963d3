package dev.stevedore.batch;

import dev.stevedore.job.JobSpec;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A batch as submitted: the job template, the work items and how to run them. */
@Schema(description = "A job template run once per work item, several at a time")
@JsonbPropertyOrder({
  "name",
  "template",
  "items",
  "parallelism",
  "checkpointEvery",
  "maxFailedItems",
  "itemRetries"
})
public record BatchRequest(
    @Schema(description = "A name for people", example = "csv-summaries")
        @Size(max = 100)
        @Pattern(
            regexp = "[A-Za-z0-9][A-Za-z0-9_.-]*",
            message =
                "must start with a letter or digit and hold only letters, digits, '.', '_' and '-'")
        String name,
    @Schema(required = true, description = "The ordinary job spec every item runs with") @NotNull
        JobSpec template,
    @Schema(
            description =
                "One entry per item: what changes from the template. With a multipart submission"
                    + " this may be left out: one item per uploaded file.")
        @Size(max = MAX_ITEMS)
        List<@NotNull @Valid ItemOverrides> items,
    @Schema(description = "Items running at once (partitions)", example = "4") @Min(1) @Max(64)
        Integer parallelism,
    @Schema(description = "Items per checkpoint (chunk)", example = "10") @Min(1) @Max(1000)
        Integer checkpointEvery,
    @Schema(
            description =
                "Failed items the batch passes over (recorded as SKIPPED); one more fails the batch",
            example = "0")
        @Min(0)
        Integer maxFailedItems,
    @Schema(description = "Retries of a failed item before it counts as failed", example = "0")
        @Min(0)
        @Max(9)
        Integer itemRetries) {

  /** The most items a batch may have, given as overrides or as files. */
  public static final int MAX_ITEMS = 10_000;

  /** What one item changes in the template. */
  @Schema(description = "One work item: what it changes in the template")
  public record ItemOverrides(
      @Schema(description = "Added to the template's environment, replacing equal names")
          @Size(max = 200)
          Map<
                  @NotNull
                  @Pattern(
                      regexp = "[A-Za-z_][A-Za-z0-9_]{0,127}",
                      message = "must be a variable name ([A-Za-z_][A-Za-z0-9_]*)")
                  String,
                  @NotNull @Size(max = 32768) String>
              env,
      @Schema(description = "Appended to the template's command") @Size(max = 1000)
          List<@NotNull @Size(max = 65536) String> args,
      @Schema(description = "Replaces the template's prompt") @Size(max = 262144) String prompt) {

    public static final ItemOverrides NONE = new ItemOverrides(null, null, null);
  }
}

package dev.stevedore.job;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The caller's jobs counted: by state now, and ended per minute over the last hour. */
@Schema(description = "Jobs by state, and jobs ended per minute over the last hour")
@JsonbPropertyOrder({"states", "failedLastHour", "minutes"})
public record JobStats(
    @Schema(description = "Jobs in each state now") Map<JobState, Long> states,
    @Schema(description = "Jobs that ended FAILED or TIMED_OUT in the last hour")
        long failedLastHour,
    @Schema(description = "The last 60 minutes, oldest first") List<Minute> minutes) {

  /** The jobs that ended in one minute. */
  @Schema(name = "JobStatsMinute")
  @JsonbPropertyOrder({"minute", "succeeded", "failed", "cancelled"})
  public record Minute(
      Instant minute,
      long succeeded,
      @Schema(description = "FAILED or TIMED_OUT") long failed,
      long cancelled) {}
}

package dev.stevedore.job;

import dev.stevedore.core.AuditSubject;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A job as the API shows it: its spec as it runs (defaults filled in), state and history. */
@Schema(name = "Job")
@JsonbPropertyOrder({
  "id",
  "name",
  "state",
  "attempt",
  "exitCode",
  "reason",
  "waitingReason",
  "queuePosition",
  "node",
  "start",
  "container",
  "createdAt",
  "startedAt",
  "finishedAt",
  "updatedAt",
  "notBefore",
  "filesRemovedAt",
  "spec",
  "history"
})
public record JobView(
    String id,
    String name,
    @Schema(description = "The tenant the job belongs to.") String tenant,
    JobState state,
    int attempt,
    @Schema(description = "Exit code of the container's last run, once it has ended.")
        Integer exitCode,
    @Schema(description = "Why the job is in its state, for FAILED jobs especially.") String reason,
    @Schema(
            description =
                "Why a QUEUED job waits: tenant quota reached, no free slot, engine unavailable,"
                    + " retry backoff; shown for one job, not in lists.")
        String waitingReason,
    @Schema(
            description =
                "For a QUEUED job that may start: how many queued jobs that may start come before"
                    + " it (priority, then age); 0 is next. Shown for one job, not in lists.")
        Long queuePosition,
    @Schema(description = "The node that runs or ran the job.") String node,
    @Schema(
            description =
                "For a job in a warm pool, how its attempt started: warm (in a container started"
                    + " ahead) or cold (none was free).")
        String start,
    @Schema(description = "For a job in a warm pool, the container its attempt runs or ran in.")
        String container,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Instant updatedAt,
    @Schema(description = "A retry does not start before this time.") Instant notBefore,
    @Schema(description = "When the job's files (logs, inputs, outputs) were removed.")
        Instant filesRemovedAt,
    @Schema(
            description =
                "The spec as it runs. Job lists show a summary without command, prompt, env,"
                    + " secrets and callbacks unless asked for view=full.")
        JobSpec spec,
    @Schema(description = "Every state change, oldest first; left out of job lists.")
        List<Transition> history)
    implements AuditSubject {

  @Override
  public String auditTarget() {
    return id;
  }

  /** One entry of a job's history. */
  @Schema(name = "JobTransition")
  @JsonbPropertyOrder({"from", "to", "at", "attempt", "exitCode", "reason"})
  public record Transition(
      JobState from, JobState to, Instant at, int attempt, Integer exitCode, String reason) {}

  /** The same view, with why it waits and where it stands in the queue. */
  public JobView waiting(String why, Long position) {
    return new JobView(
        id,
        name,
        tenant,
        state,
        attempt,
        exitCode,
        reason,
        why,
        position,
        node,
        start,
        container,
        createdAt,
        startedAt,
        finishedAt,
        updatedAt,
        notBefore,
        filesRemovedAt,
        spec,
        history);
  }
}

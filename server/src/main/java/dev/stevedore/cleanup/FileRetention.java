package dev.stevedore.cleanup;

import dev.stevedore.core.AuditSubject;
import dev.stevedore.core.JobId;
import dev.stevedore.core.Schedules;
import dev.stevedore.job.JobRepository;
import dev.stevedore.workspace.Workspaces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Deletes the files (inputs, outputs, logs) of jobs that ended longer ago than the retention
 * period: at start-up, on a schedule, and when an administrator asks. The jobs themselves stay
 * listed, marked with when their files went.
 */
@ApplicationScoped
public class FileRetention {

  private static final Logger LOG = Logger.getLogger(FileRetention.class.getName());
  private static final int BATCH = 200;

  @Inject JobRepository repository;
  @Inject Workspaces workspaces;

  @Inject
  @ConfigProperty(name = "stevedore.cleanup.retention-days")
  long retentionDays;

  @Inject
  @ConfigProperty(name = "stevedore.cleanup.interval-minutes")
  long intervalMinutes;

  @Inject Schedules schedules;

  /** What one cleanup did. */
  public record Report(Instant finishedBefore, int jobsCleaned) implements AuditSubject {

    @Override
    public String auditTarget() {
      return "finishedBefore=" + finishedBefore;
    }
  }

  /** Cleans now, then every interval. */
  public void start() {
    schedules.withFixedDelay(
        "File cleanup",
        Duration.ZERO,
        Duration.ofMinutes(intervalMinutes),
        () -> clean(defaultCutoff()));
  }

  /** The default cut-off: now less the retention period. */
  public Instant defaultCutoff() {
    return Instant.now().minus(Duration.ofDays(retentionDays));
  }

  /**
   * Deletes the files of every job that ended before {@code finishedBefore}. A job whose files
   * cannot be deleted is logged and passed over; the next run tries it again.
   */
  public synchronized Report clean(Instant finishedBefore) {
    int cleaned = 0;
    Set<JobId> failed = new HashSet<>();
    while (true) {
      List<JobId> batch = repository.finishedWithFilesBefore(finishedBefore, BATCH + failed.size());
      List<JobId> todo = batch.stream().filter(id -> !failed.contains(id)).toList();
      if (todo.isEmpty()) {
        break;
      }
      for (JobId id : todo) {
        try {
          workspaces.deleteJobFiles(id);
          repository.markFilesRemoved(id, Instant.now());
          cleaned++;
        } catch (RuntimeException e) {
          failed.add(id);
          LOG.log(Level.WARNING, "Could not remove the files of job " + id, e);
        }
      }
    }
    if (cleaned > 0) {
      LOG.info("Removed the files of " + cleaned + " jobs that ended before " + finishedBefore);
    }
    return new Report(finishedBefore, cleaned);
  }
}

package dev.stevedore.job;

import static dev.stevedore.job.JobState.CANCELLED;
import static dev.stevedore.job.JobState.FAILED;
import static dev.stevedore.job.JobState.QUEUED;
import static dev.stevedore.job.JobState.RUNNING;
import static dev.stevedore.job.JobState.STARTING;
import static dev.stevedore.job.JobState.SUCCEEDED;
import static dev.stevedore.job.JobState.TIMED_OUT;

import dev.stevedore.core.JobId;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of allowed state transitions. Everything that changes a job's state asks it; a move
 * it does not list is refused.
 */
public final class JobTransitions {

  private static final Map<JobState, Set<JobState>> ALLOWED = new EnumMap<>(JobState.class);

  static {
    allow(QUEUED, STARTING, CANCELLED);
    // STARTING -> QUEUED: the Docker engine could not be reached, the job waits for it again.
    // STARTING -> FAILED: the image cannot be had, or the engine refused the container.
    allow(STARTING, RUNNING, FAILED, QUEUED, CANCELLED);
    // RUNNING -> QUEUED: an engine stop or restart killed the attempt; a new one is queued.
    allow(RUNNING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, QUEUED);
    // A retry policy sends a failed attempt back to the queue.
    allow(FAILED, QUEUED);
    allow(TIMED_OUT, QUEUED);
    allow(SUCCEEDED);
    allow(CANCELLED);
  }

  private JobTransitions() {}

  private static void allow(JobState from, JobState... to) {
    Set<JobState> targets = EnumSet.noneOf(JobState.class);
    targets.addAll(java.util.List.of(to));
    ALLOWED.put(from, Collections.unmodifiableSet(targets));
  }

  public static boolean isAllowed(JobState from, JobState to) {
    return ALLOWED.get(from).contains(to);
  }

  public static Set<JobState> allowedFrom(JobState from) {
    return ALLOWED.get(from);
  }

  /** Throws {@link IllegalTransitionException} unless the move is in the table. */
  public static void check(JobId job, JobState from, JobState to) {
    if (!isAllowed(from, to)) {
      throw new IllegalTransitionException(job, from, to);
    }
  }
}

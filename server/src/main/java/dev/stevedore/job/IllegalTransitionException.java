package dev.stevedore.job;

import dev.stevedore.core.ConflictException;
import dev.stevedore.core.JobId;
import java.util.Locale;

/** A state change the transition table does not allow. */
public class IllegalTransitionException extends ConflictException {
  private static final long serialVersionUID = 1L;

  private final JobState from;
  private final JobState to;

  public IllegalTransitionException(JobId job, JobState from, JobState to) {
    super(
        "illegal-transition",
        "The job is not in a state that allows this",
        "Job " + job + " is " + from + "; it cannot become " + to + describeAllowed(from));
    this.from = from;
    this.to = to;
  }

  private static String describeAllowed(JobState from) {
    var allowed = JobTransitions.allowedFrom(from);
    return allowed.isEmpty()
        ? " (" + from.name().toLowerCase(Locale.ROOT) + " is final)"
        : " (from " + from + " it can become " + allowed + ")";
  }

  public JobState from() {
    return from;
  }

  public JobState to() {
    return to;
  }
}

package dev.stevedore.job;

/** Where a job is in its life; the server's job transitions say which moves between them exist. */
public enum JobState {
  QUEUED,
  STARTING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  TIMED_OUT,
  CANCELLED;

  /** A container of the job may exist in this state. */
  public boolean isActive() {
    return this == STARTING || this == RUNNING;
  }

  /** The job has ended (a retry policy may still move FAILED or TIMED_OUT back to QUEUED). */
  public boolean isFinished() {
    return this == SUCCEEDED || this == FAILED || this == TIMED_OUT || this == CANCELLED;
  }
}

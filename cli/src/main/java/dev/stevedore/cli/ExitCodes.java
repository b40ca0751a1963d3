package dev.stevedore.cli;

import dev.stevedore.job.JobState;
import dev.stevedore.job.JobView;

/**
 * What the tool's exit status means (docs/cli.md lists them). {@code run} and {@code wait} end with
 * the job's own exit code, so the tool's own codes sit where a shell's conventions put them.
 */
final class ExitCodes {

  static final int OK = 0;

  /** {@code wait --timeout} passed while the job was still going. */
  static final int STILL_RUNNING = 123;

  /** The job ran past its deadline (as {@code timeout(1)} reports its command's). */
  static final int JOB_TIMED_OUT = 124;

  /** The tool itself failed: bad usage, a refusal of the server, a server out of reach. */
  static final int FAILURE = 125;

  /** The job failed without an exit code of its own: it could not start, or failed after it. */
  static final int JOB_FAILED = 126;

  /** The job was cancelled. */
  static final int JOB_CANCELLED = 130;

  private ExitCodes() {}

  /** The tool's exit status for a job as it stands. */
  static int of(JobView job) {
    JobState state = job.state();
    if (!state.isFinished()) {
      return STILL_RUNNING;
    }
    return switch (state) {
      case SUCCEEDED -> OK;
      case TIMED_OUT -> JOB_TIMED_OUT;
      case CANCELLED -> JOB_CANCELLED;
      default ->
          job.exitCode() != null && job.exitCode() > 0 && job.exitCode() < 256
              ? job.exitCode()
              : JOB_FAILED;
    };
  }
}

package dev.stevedore.job;

import dev.stevedore.core.JobId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Changes job states. Two actors can race on one job (a cancel and the end of its container, say);
 * optimistic locking lets exactly one win, and the loser re-reads the job and is judged against the
 * transition table again, so that a move that is no longer allowed is refused.
 */
@ApplicationScoped
public class JobLifecycle {

  private static final Logger LOG = Logger.getLogger(JobLifecycle.class.getName());
  private static final int ATTEMPTS = 5;
  private static final int MAX_REASON = 2000;
  private static final Duration ENGINE_WAIT = Duration.ofSeconds(5);

  @Inject JobRepository repository;
  @Inject dev.stevedore.db.DatabaseKind database;

  /** Moves the job to {@code to}; throws {@link IllegalTransitionException} if not allowed. */
  public Job transition(JobId id, JobState to, String reason) {
    return transition(id, to, reason, job -> {});
  }

  /** As {@link #transition(JobId, JobState, String)}, for {@code attempt} only: a runner's call. */
  public Job transition(JobId id, int attempt, JobState to, String reason) {
    return transition(id, attempt, to, reason, job -> {});
  }

  /** STARTING to RUNNING in a container of a warm pool, recorded with the job. */
  public Job startedInPool(JobId id, int attempt, String reason, String container, boolean warm) {
    return transition(id, attempt, JobState.RUNNING, reason, job -> job.runsIn(container, warm));
  }

  /**
   * QUEUED to STARTING on {@code node}, for as many of {@code candidates} (in dispatch order) as
   * their tenants' running quotas allow, each claim held until {@code leaseUntil}: the jobs
   * claimed, whose next attempts the caller owns. One left out has been claimed elsewhere,
   * cancelled or changed since it was read, or its tenant has reached its quota. On PostgreSQL one
   * statement claims them all; on H2 (one node) each is a state change checked against its version.
   */
  public Set<JobId> claim(
      List<JobRepository.Candidate> candidates, String node, Instant leaseUntil) {
    String reason = "dispatched to node " + node;
    if (database.isPostgres()) {
      return repository.claimAll(candidates, node, leaseUntil, reason).stream()
          .map(Job::id)
          .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new));
    }
    Set<JobId> claimed = new java.util.LinkedHashSet<>();
    for (JobRepository.Candidate candidate : candidates) {
      try {
        repository
            .claim(candidate.id(), node, leaseUntil, reason)
            .ifPresent(job -> claimed.add(job.id()));
      } catch (RuntimeException e) {
        if (!isOptimisticLockFailure(e)) {
          throw e;
        }
      }
    }
    return claimed;
  }

  /**
   * STARTING back to QUEUED: the engine could not be reached. The job waits a little before it is
   * tried again, so that an engine that fails fast does not make it spin.
   */
  public Job waitForEngine(JobId id, int attempt, String reason) {
    return transition(
        id,
        attempt,
        JobState.QUEUED,
        reason,
        job -> job.notBefore(Instant.now().plus(ENGINE_WAIT)));
  }

  /**
   * STARTING or RUNNING back to QUEUED as a new attempt: the node that ran {@code attempt} stopped
   * answering. No failure of the job's, so it does not count against its retry policy; the lost
   * node, should it come back, ends nothing of it.
   */
  public Job nodeLost(JobId id, int attempt, String reason) {
    return transition(
        id,
        attempt,
        JobState.QUEUED,
        reason,
        job -> {
          uncountedAttempt(job);
          job.node(null);
        });
  }

  /**
   * The current attempt of a job on the lost node {@code from} goes on, followed by {@code to},
   * whose engine runs its container too. False if it moved on meanwhile or another node adopted it
   * first.
   */
  public boolean adopt(
      JobId id, int attempt, String from, String to, Instant leaseUntil, String reason) {
    try {
      return repository.adopt(id, attempt, from, to, leaseUntil, truncate(reason));
    } catch (RuntimeException e) {
      if (isOptimisticLockFailure(e)) {
        return false;
      }
      throw e;
    }
  }

  /**
   * An attempt ended: SUCCEEDED, FAILED or TIMED_OUT, with the container's exit code if it has one.
   * If the job's retry policy allows another attempt, the job goes back to the queue in the same
   * transaction, so that a crash cannot lose the retry.
   */
  public Job finish(JobId id, JobState to, Integer exitCode, String reason) {
    return finish(id, null, to, exitCode, reason);
  }

  /**
   * As {@link #finish(JobId, JobState, Integer, String)}, for {@code attempt} only (null: whatever
   * the job's is): the runner of an attempt that moved on ends nothing.
   */
  public Job finish(JobId id, Integer attempt, JobState to, Integer exitCode, String reason) {
    return transition(
        id,
        attempt,
        to,
        reason,
        job -> {
          job.exitCode(exitCode);
          Retries.delayBeforeNext(
                  job.spec().retry(), job.attempt() - job.engineInterruptions(), to, exitCode)
              .ifPresent(delay -> requeue(job, delay));
        });
  }

  /**
   * RUNNING back to QUEUED as a new attempt: an engine stop or restart ended the running one. It is
   * no failure of the job's, so it does not count against its retry policy.
   */
  public Job interruptedByEngine(JobId id, int attempt, String reason) {
    return transition(
        id,
        attempt,
        JobState.QUEUED,
        reason,
        job -> {
          uncountedAttempt(job);
          job.notBefore(Instant.now().plus(ENGINE_WAIT));
        });
  }

  /**
   * A new attempt that the retry policy does not count: the last one ended through no failure of
   * the job's (an engine restart, a lost node).
   */
  private static void uncountedAttempt(Job job) {
    job.attempt(job.attempt() + 1);
    job.engineInterruptions(job.engineInterruptions() + 1);
    job.exitCode(null);
  }

  private static void requeue(Job job, Duration delay) {
    Instant now = Instant.now();
    int next = job.attempt() + 1;
    job.attempt(next);
    job.notBefore(now.plus(delay));
    job.moveTo(
        JobState.QUEUED,
        "retry: attempt "
            + (next - job.engineInterruptions())
            + " of "
            + job.spec().retry().maxAttempts()
            + (delay.isZero() ? "" : " after " + delay.toSeconds() + " s"),
        now);
  }

  private Job transition(JobId id, JobState to, String reason, Consumer<Job> change) {
    return transition(id, null, to, reason, change);
  }

  private Job transition(
      JobId id, Integer jobAttempt, JobState to, String reason, Consumer<Job> change) {
    String why = truncate(reason);
    for (int attempt = 1; ; attempt++) {
      try {
        return repository.transition(id, jobAttempt, to, why, change).orThrow();
      } catch (RuntimeException e) {
        if (!isOptimisticLockFailure(e) || attempt == ATTEMPTS) {
          throw e;
        }
        LOG.fine(() -> "Job " + id + " changed concurrently; reading it again");
      }
    }
  }

  private static boolean isOptimisticLockFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OptimisticLockException) {
        return true;
      }
    }
    return false;
  }

  private static String truncate(String reason) {
    if (reason == null || reason.length() <= MAX_REASON) {
      return reason;
    }
    return reason.substring(0, MAX_REASON - 1) + "…";
  }

  /**
   * Runs a state change that may have been overtaken (the job was cancelled, deleted or moved on by
   * someone else meanwhile); tells whether it happened.
   */
  public static boolean ifStillPossible(Runnable transition) {
    try {
      transition.run();
      return true;
    } catch (IllegalTransitionException | JobNotFoundException e) {
      LOG.fine(e::getMessage);
      return false;
    }
  }
}

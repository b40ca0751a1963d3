package dev.stevedore.dispatch;

import dev.stevedore.core.JobId;
import dev.stevedore.core.LogText;
import dev.stevedore.core.NodeIdentity;
import dev.stevedore.job.Job;
import dev.stevedore.job.JobLifecycle;
import dev.stevedore.job.JobRepository;
import dev.stevedore.job.JobSpec;
import dev.stevedore.job.JobState;
import dev.stevedore.logs.JobLogs;
import dev.stevedore.pool.PoolLease;
import dev.stevedore.runtime.ContainerExit;
import dev.stevedore.runtime.ContainerLabels;
import dev.stevedore.runtime.ContainerRuntime;
import dev.stevedore.runtime.ContainerRuntimeException;
import dev.stevedore.runtime.ContainerSpec;
import dev.stevedore.runtime.ContainerStatus;
import dev.stevedore.runtime.ImageUnavailableException;
import dev.stevedore.runtime.SandboxPolicy;
import dev.stevedore.workspace.InputStager;
import dev.stevedore.workspace.OutputArchive;
import dev.stevedore.workspace.Workspaces;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs one attempt of a job: its directories, the image, the container, the output, the deadline,
 * the end state and the outputs archive; the container is removed at the end. It can also take over
 * a container that is already there ({@link #resume}), as after a restart.
 *
 * <p>When the engine fails mid-run the runner does not guess: a job whose container may still be
 * running is left as it is, and the reconciler settles it once the engine answers again.
 */
@ApplicationScoped
public class JobRunner {

  private static final Logger LOG = Logger.getLogger(JobRunner.class.getName());

  @Inject JobRepository repository;
  @Inject JobLifecycle lifecycle;
  @Inject ContainerRuntime runtime;
  @Inject JobLogs logs;
  @Inject Workspaces workspaces;
  @Inject OutputArchive outputs;
  @Inject SandboxPolicy sandbox;
  @Inject NodeIdentity node;
  @Inject PooledRunner pooled;

  @Inject
  @ConfigProperty(name = "stevedore.jobs.timeout-grace-seconds")
  int timeoutGraceSeconds;

  @Resource ManagedScheduledExecutorService scheduler;

  /** Runs a job the dispatcher has claimed (STARTING). */
  public void run(JobId id) {
    run(id, null);
  }

  /**
   * Runs a job the dispatcher has claimed (STARTING), in its own container or, given a lease, in a
   * container of its warm pool.
   */
  public void run(JobId id, PoolLease lease) {
    try {
      if (lease == null) {
        runAttempt(id);
      } else {
        pooled.run(id, lease);
      }
    } finally {
      if (repository.find(id).isEmpty()) {
        workspaces.deleteJobFiles(id); // cancelled and deleted while it started
      }
    }
  }

  private void runAttempt(JobId id) {
    Job job = repository.find(id).orElse(null);
    if (job == null || job.state() != JobState.STARTING) {
      return;
    }
    int attempt = job.attempt();
    String container = ContainerLabels.containerName(id.value(), attempt);
    JobSpec spec = job.spec();
    try {
      workspaces.prepareAttempt(id);
      ContainerSpec containerSpec = containerSpec(id, attempt, container, spec);
      try {
        // Create first: the image is nearly always present, and asking the engine first costs
        // every job a round trip. Only an image the engine lacks is pulled.
        runtime.create(containerSpec);
      } catch (ImageUnavailableException missing) {
        runtime.ensureImage(spec.image());
        if (!stillStarting(id)) {
          return; // cancelled during the pull
        }
        runtime.create(containerSpec);
      }
      if (!stillStarting(id)) {
        removeQuietly(container);
        return;
      }
      runtime.start(container);
    } catch (ImageUnavailableException e) {
      end(id, attempt, JobState.FAILED, null, e.getMessage());
      return;
    } catch (ContainerRuntimeException e) {
      notStarted(id, attempt, container, e);
      return;
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Job " + id + " could not be started", e);
      end(id, attempt, JobState.FAILED, null, "internal error; the server log has the details");
      removeQuietly(container);
      return;
    }
    if (!JobLifecycle.ifStillPossible(
        () -> lifecycle.transition(id, attempt, JobState.RUNNING, "container started"))) {
      removeQuietly(container); // cancelled while it started
      return;
    }
    supervise(id, attempt, container, spec, Instant.now());
  }

  /**
   * Takes over the container of a STARTING or RUNNING job that no runner of this server watches:
   * its output is read again from the start, its deadline still counts from when it started.
   */
  public void resume(JobId id) {
    Job job = repository.find(id).orElse(null);
    if (job == null || !job.state().isActive()) {
      return;
    }
    int attempt = job.attempt();
    String container = ContainerLabels.containerName(id.value(), attempt);
    try {
      if (job.state() == JobState.STARTING) {
        // Start only a container that never ran: one that has run must not run again.
        var status = runtime.status(container).orElse(null);
        if (status == null) {
          return; // the reconciler requeues it
        }
        if (!status.running() && status.exit() == null) {
          runtime.start(container);
        }
        if (!JobLifecycle.ifStillPossible(
            () -> lifecycle.transition(id, attempt, JobState.RUNNING, "container adopted"))) {
          removeQuietly(container);
          return;
        }
        job = repository.find(id).orElseThrow();
      }
      LOG.info("Adopting the container of job " + id);
      supervise(id, attempt, container, job.spec(), job.startedAt());
    } catch (ContainerRuntimeException e) {
      LOG.warning("Job " + id + " could not be adopted yet: " + LogText.escape(e.getMessage()));
    }
  }

  /** Follows the running container to its end, enforcing the deadline, and records the end. */
  private void supervise(JobId id, int attempt, String container, JobSpec spec, Instant started) {
    int timeoutSeconds = spec.timeoutSeconds();
    Collection<String> secrets = spec.secrets() == null ? List.of() : spec.secrets().values();
    AtomicBoolean timedOut = new AtomicBoolean();
    Duration left = Duration.between(Instant.now(), started.plusSeconds(timeoutSeconds));
    ScheduledFuture<?> deadline =
        scheduler.schedule(
            () -> {
              if (isRunning(container)) { // not one that ended while nobody watched
                timedOut.set(true);
                LOG.info("Job " + id + " reached its deadline of " + timeoutSeconds + " s");
                stopQuietly(container);
              }
            },
            Math.max(0, left.toMillis()),
            TimeUnit.MILLISECONDS);
    ContainerExit exit;
    long followed = 0;
    try {
      try (JobLogs.Writer writer = logs.open(id, attempt, secrets)) {
        try {
          runtime.followLogs(container, writer);
        } finally {
          followed = writer.lines();
        }
      } catch (ContainerRuntimeException e) {
        LOG.warning(
            "Output of job " + id + " may be incomplete: " + LogText.escape(e.getMessage()));
      }
      exit = runtime.awaitExit(container);
      // The stopped container's output, read whole, is the record: following can miss a last
      // line that the engine wrote while the container exited. Live followers get only what
      // they have not seen.
      try (JobLogs.Writer writer = logs.open(id, attempt, secrets, followed)) {
        runtime.readLogs(container, writer);
        writer.complete();
      }
    } catch (ContainerRuntimeException e) {
      LOG.warning(
          "Lost sight of the container of job "
              + id
              + "; it is settled when the engine answers: "
              + LogText.escape(e.getMessage()));
      return;
    } finally {
      deadline.cancel(false);
    }
    if (!timedOut.get() && exit.exitCode() != 0 && runtime.interruptedByEngine(exit)) {
      // The engine stopped or restarted under the job: not the job's failure. A new attempt runs
      // once the engine is back, and the job's own retry policy is not charged for it.
      LOG.info("Job " + id + " was interrupted by an engine stop or restart; it is requeued");
      JobLifecycle.ifStillPossible(
          () ->
              lifecycle.interruptedByEngine(
                  id,
                  attempt,
                  "interrupted by a Docker engine stop or restart (exit code "
                      + exit.exitCode()
                      + "); requeued as attempt "
                      + (attempt + 1)));
      removeQuietly(container);
      return; // the next attempt starts with an empty out/: nothing to archive
    }
    // A cancelled job gets here too: the cancel only stopped the container, so that its output
    // and outputs are kept. Its state stands (end() does not override it).
    if (movedOn(id, attempt)) {
      // This node was taken for lost meanwhile and the job runs again as a new attempt: this one
      // records no end and leaves the job's outputs to the attempt that runs now.
      LOG.info("Job " + id + " moved on past attempt " + attempt + "; its container goes");
      removeQuietly(container);
      return;
    }
    Archiving archiving = archiveOutputs(id);
    if (timedOut.get()) {
      end(
          id,
          attempt,
          JobState.TIMED_OUT,
          exit.exitCode(),
          archiving.noted("deadline of " + timeoutSeconds + " s passed"));
    } else if (archiving.failure() != null) {
      end(id, attempt, JobState.FAILED, exit.exitCode(), archiving.noted(archiving.failure()));
    } else if (exit.oomKilled()) {
      end(id, attempt, JobState.FAILED, exit.exitCode(), archiving.noted("OOMKilled"));
    } else if (exit.exitCode() == 0) {
      end(id, attempt, JobState.SUCCEEDED, 0, archiving.noted("exited with code 0"));
    } else {
      String why = "exited with code " + exit.exitCode();
      end(
          id,
          attempt,
          JobState.FAILED,
          exit.exitCode(),
          archiving.noted(exit.error() == null ? why : why + ": " + exit.error()));
    }
    removeQuietly(container);
  }

  /** How archiving the outputs went: a failure that fails the job, a note for its reason. */
  record Archiving(String failure, String note) {
    String noted(String reason) {
      String why = failure != null && !reason.equals(failure) ? reason + "; " + failure : reason;
      return note == null ? why : why + "; " + note;
    }
  }

  Archiving archiveOutputs(JobId id) {
    try {
      OutputArchive.Archived archived = outputs.archive(id);
      if (archived.note() != null) {
        LOG.info("Job " + id + ": " + archived.note());
      }
      return new Archiving(null, archived.note());
    } catch (OutputArchive.OutputsTooLargeException e) {
      return new Archiving(e.getMessage(), null);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "The outputs of job " + id + " could not be archived", e);
      return new Archiving(null, null);
    }
  }

  /**
   * Settles the stopped container of a cancelled job that no runner follows: its whole output
   * becomes the stored log, its outputs are archived, then it is removed. A job that is gone
   * (cancelled, then deleted) has nothing to keep.
   */
  public void collectCancelled(JobId id, int attempt, String container) {
    Job job = repository.find(id).orElse(null);
    try {
      if (job != null && job.attempt() == attempt && runtime.status(container).isPresent()) {
        JobSpec spec = job.spec();
        Collection<String> secrets = spec.secrets() == null ? List.of() : spec.secrets().values();
        try (JobLogs.Writer writer = logs.open(id, attempt, secrets, Long.MAX_VALUE)) {
          runtime.readLogs(container, writer);
          writer.complete();
        }
        archiveOutputs(id);
      }
    } catch (RuntimeException e) {
      LOG.warning(
          "Output of cancelled job "
              + id
              + " may be incomplete: "
              + LogText.escape(e.getMessage()));
    }
    removeQuietly(container);
  }

  /**
   * The engine failed before the container ran. If it could not be reached or cannot be used now,
   * the job waits in the queue for it (a container made before the failure is adopted by the next
   * try, since its name is the same); if it refused the container, the job fails.
   */
  private void notStarted(JobId id, int attempt, String container, ContainerRuntimeException e) {
    if (e.engineUnreachable()) {
      String why =
          LogText.escape(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      LOG.warning("Job " + id + " waits for the Docker engine: " + why);
      JobLifecycle.ifStillPossible(
          () -> lifecycle.waitForEngine(id, attempt, "Docker engine unavailable: " + why));
    } else {
      end(id, attempt, JobState.FAILED, null, e.getMessage());
      removeQuietly(container);
    }
  }

  private boolean isRunning(String container) {
    try {
      return runtime.status(container).map(ContainerStatus::running).orElse(false);
    } catch (RuntimeException e) {
      return true; // cannot tell: enforce the deadline
    }
  }

  private boolean movedOn(JobId id, int attempt) {
    return repository.find(id).map(job -> job.attempt() != attempt).orElse(true);
  }

  private boolean stillStarting(JobId id) {
    return repository.find(id).map(j -> j.state() == JobState.STARTING).orElse(false);
  }

  private void end(JobId id, int attempt, JobState state, Integer exitCode, String reason) {
    JobLifecycle.ifStillPossible(() -> lifecycle.finish(id, attempt, state, exitCode, reason));
  }

  /** The environment of an attempt: the job's own, its secrets and Stevedore's variables. */
  static Map<String, String> environment(JobId id, int attempt, JobSpec spec) {
    Map<String, String> env = new LinkedHashMap<>(spec.env());
    if (spec.secrets() != null) {
      env.putAll(spec.secrets());
    }
    env.put("STEVEDORE_JOB_ID", id.value());
    env.put("STEVEDORE_ATTEMPT", Integer.toString(attempt));
    env.put("STEVEDORE_INPUT_DIR", Workspaces.CONTAINER_IN);
    env.put("STEVEDORE_OUTPUT_DIR", Workspaces.CONTAINER_OUT);
    if (spec.prompt() != null) {
      env.put("STEVEDORE_PROMPT", spec.prompt());
      env.put("STEVEDORE_PROMPT_FILE", Workspaces.CONTAINER_IN + "/" + InputStager.PROMPT_FILE);
    }
    return env;
  }

  private void stopQuietly(String container) {
    try {
      runtime.stop(container, Duration.ofSeconds(timeoutGraceSeconds));
    } catch (RuntimeException e) {
      LOG.warning("Could not stop container " + container + ": " + LogText.escape(e.getMessage()));
    }
  }

  private void removeQuietly(String container) {
    try {
      runtime.remove(container);
    } catch (RuntimeException e) {
      LOG.warning(
          "Could not remove container " + container + ": " + LogText.escape(e.getMessage()));
    }
  }

  private ContainerSpec containerSpec(JobId id, int attempt, String name, JobSpec spec) {
    Map<String, String> env = environment(id, attempt, spec);
    Map<String, String> labels =
        Map.of(
            ContainerLabels.JOB, id.value(),
            ContainerLabels.ATTEMPT, Integer.toString(attempt),
            ContainerLabels.NODE, node.name(),
            ContainerLabels.INSTALLATION, node.installation());
    JobSpec.Resources resources = spec.resources();
    return new ContainerSpec(
        name,
        spec.image(),
        spec.command(),
        env,
        labels,
        new ContainerSpec.Limits(
            resources.memoryMb() * 1024L * 1024L,
            Math.round(resources.cpus() * 1_000_000_000d),
            resources.pids()),
        sandbox.sandbox(),
        spec.network(),
        List.of(
            new ContainerSpec.Mount(workspaces.inDir(id), Workspaces.CONTAINER_IN, true),
            new ContainerSpec.Mount(workspaces.outDir(id), Workspaces.CONTAINER_OUT, false)));
  }
}

package dev.stevedore.dispatch;

import dev.stevedore.job.IllegalTransitionException;
import dev.stevedore.job.Job;
import dev.stevedore.job.JobId;
import dev.stevedore.job.JobLifecycle;
import dev.stevedore.job.JobRepository;
import dev.stevedore.job.JobSpec;
import dev.stevedore.job.JobState;
import dev.stevedore.logs.JobLogs;
import dev.stevedore.node.NodeIdentity;
import dev.stevedore.runtime.ContainerExit;
import dev.stevedore.runtime.ContainerLabels;
import dev.stevedore.runtime.ContainerRuntime;
import dev.stevedore.runtime.ContainerRuntimeException;
import dev.stevedore.runtime.ContainerSpec;
import dev.stevedore.runtime.ImageUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/**
 * Runs one attempt of a job that the dispatcher has claimed (state STARTING): image, container,
 * start, output, exit, end state. Whatever happens, the container is removed at the end.
 */
@ApplicationScoped
public class JobRunner {

  private static final Logger LOG = Logger.getLogger(JobRunner.class.getName());

  @Inject JobRepository repository;
  @Inject JobLifecycle lifecycle;
  @Inject ContainerRuntime runtime;
  @Inject JobLogs logs;
  @Inject NodeIdentity node;

  public void run(JobId id) {
    Job job = repository.find(id).orElse(null);
    if (job == null || job.state() != JobState.STARTING) {
      return;
    }
    int attempt = job.attempt();
    String container = ContainerLabels.containerName(id.value(), attempt);
    boolean mayHaveContainer = false;
    try {
      JobSpec spec = job.spec();
      runtime.ensureImage(spec.image());
      mayHaveContainer = true;
      runtime.create(containerSpec(id, attempt, container, spec));
      runtime.start(container);
      if (!tryTransition(() -> lifecycle.transition(id, JobState.RUNNING, "container started"))) {
        return;
      }
      try (JobLogs.Writer writer = logs.open(id, attempt)) {
        runtime.followLogs(container, writer);
      } catch (ContainerRuntimeException e) {
        LOG.warning("Output of job " + id + " may be incomplete: " + e.getMessage());
      }
      finish(id, runtime.awaitExit(container));
    } catch (ImageUnavailableException e) {
      tryTransition(() -> lifecycle.transition(id, JobState.FAILED, e.getMessage()));
    } catch (ContainerRuntimeException | FaultToleranceException e) {
      engineFailed(id, e);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Job " + id + " failed in the server", e);
      tryTransition(
          () -> lifecycle.transition(id, JobState.FAILED, "internal error: " + e.getMessage()));
    } finally {
      if (mayHaveContainer) {
        removeQuietly(container);
      }
    }
  }

  private void finish(JobId id, ContainerExit exit) {
    JobState end = exit.exitCode() == 0 && !exit.oomKilled() ? JobState.SUCCEEDED : JobState.FAILED;
    String why =
        exit.oomKilled()
            ? "OOMKilled"
            : "exited with code " + exit.exitCode() + (exit.error() == null ? "" : ": " + exit.error());
    tryTransition(() -> lifecycle.finish(id, end, exit.exitCode(), why));
  }

  /**
   * The engine failed. A job that had not started goes back to the queue and waits for the
   * engine (its container name is deterministic, so a container made before the failure is
   * adopted, not doubled); a running one has lost its container and fails.
   */
  private void engineFailed(JobId id, RuntimeException e) {
    boolean unreachable =
        !(e instanceof ContainerRuntimeException cre) || cre.engineUnreachable();
    Job job = repository.find(id).orElse(null);
    if (job == null) {
      return;
    }
    if (job.state() == JobState.STARTING && unreachable) {
      LOG.warning("Job " + id + " waits for the Docker engine: " + e.getMessage());
      tryTransition(
          () -> lifecycle.transition(id, JobState.QUEUED, "Docker engine unavailable: " + e.getMessage()));
    } else if (job.state().isActive()) {
      tryTransition(
          () -> lifecycle.transition(id, JobState.FAILED, "Docker engine error: " + e.getMessage()));
    }
  }

  /** Applies a transition unless the job was cancelled meanwhile: the cancellation stands. */
  private static boolean tryTransition(Runnable transition) {
    try {
      transition.run();
      return true;
    } catch (IllegalTransitionException e) {
      LOG.fine(() -> e.getMessage());
      return false;
    }
  }

  private void removeQuietly(String container) {
    try {
      runtime.remove(container);
    } catch (RuntimeException e) {
      LOG.warning("Could not remove container " + container + ": " + e.getMessage());
    }
  }

  private ContainerSpec containerSpec(JobId id, int attempt, String name, JobSpec spec) {
    Map<String, String> env = new LinkedHashMap<>(spec.env());
    env.put("STEVEDORE_JOB_ID", id.value());
    env.put("STEVEDORE_ATTEMPT", Integer.toString(attempt));
    if (spec.prompt() != null) {
      env.put("STEVEDORE_PROMPT", spec.prompt());
    }
    Map<String, String> labels =
        Map.of(
            ContainerLabels.JOB, id.value(),
            ContainerLabels.ATTEMPT, Integer.toString(attempt),
            ContainerLabels.NODE, node.name());
    JobSpec.Resources resources = spec.resources();
    return new ContainerSpec(
        name,
        spec.image(),
        spec.command(),
        env,
        labels,
        resources.memoryMb() * 1024L * 1024L,
        Math.round(resources.cpus() * 1_000_000_000d),
        resources.pids(),
        spec.network());
  }
}

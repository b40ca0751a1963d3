package dev.stevedore.dispatch;

import dev.stevedore.core.JobId;
import dev.stevedore.core.LogText;
import dev.stevedore.job.Job;
import dev.stevedore.job.JobLifecycle;
import dev.stevedore.job.JobRepository;
import dev.stevedore.job.JobSpec;
import dev.stevedore.job.JobState;
import dev.stevedore.logs.JobLogs;
import dev.stevedore.pool.PoolLease;
import dev.stevedore.pool.WarmPools;
import dev.stevedore.runtime.ContainerRuntimeException;
import dev.stevedore.workspace.Workspaces;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one attempt of a job in a container of its warm pool: the inputs are copied into the
 * container's workspace, the command runs there as an exec with the job's environment, its output
 * is the job's log and its exit code the job's, and the outputs are moved to the job's own
 * directory and archived as for any job. A deadline or a cancel stops the container (it is replaced
 * afterwards); so does any end that was not clean.
 *
 * <p>The exec cannot be followed again by a restarted server: a pooled job that was running when
 * its server stopped is settled by the reconciler as failed.
 */
@ApplicationScoped
public class PooledRunner {

  private static final Logger LOG = Logger.getLogger(PooledRunner.class.getName());

  /** The exit code of a command ended by SIGKILL: a stop after its grace, or the OOM killer. */
  private static final int SIGKILLED = 137;

  @Inject JobRepository repository;
  @Inject JobLifecycle lifecycle;
  @Inject WarmPools pools;
  @Inject JobLogs logs;
  @Inject Workspaces workspaces;
  @Inject JobRunner runner;

  @Resource ManagedScheduledExecutorService scheduler;

  void run(JobId id, PoolLease lease) {
    boolean clean = false;
    try {
      clean = attempt(id, lease);
    } finally {
      try {
        pools.release(lease, clean);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Could not hand back the container of job " + id, e);
      }
    }
  }

  /** Runs the attempt; true if it ended cleanly enough for its container to serve again. */
  private boolean attempt(JobId id, PoolLease lease) {
    Job job = repository.find(id).orElse(null);
    if (job == null || job.state() != JobState.STARTING) {
      return true; // nothing ran in it
    }
    if (lease.refusal() != null) {
      end(id, job.attempt(), JobState.FAILED, null, lease.refusal());
      return true;
    }
    int attempt = job.attempt();
    JobSpec spec = job.spec();
    try {
      workspaces.prepareAttempt(id);
      Path in = pools.prepare(lease);
      copyTree(workspaces.inDir(id), in);
    } catch (ContainerRuntimeException e) {
      if (e.engineUnreachable()) {
        JobLifecycle.ifStillPossible(
            () ->
                lifecycle.waitForEngine(
                    id, attempt, "Docker engine unavailable: " + e.getMessage()));
      } else {
        end(
            id,
            attempt,
            JobState.FAILED,
            null,
            "its pool's container could not start: " + e.getMessage());
      }
      return false;
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "Job " + id + " could not be placed in its pool", e);
      end(
          id,
          attempt,
          JobState.FAILED,
          null,
          "could not be placed in pool " + lease.pool() + "; the server log has the details");
      return false;
    }
    String container = lease.containerName();
    String how =
        lease.warm()
            ? "started in warm container " + container + " of pool " + lease.pool()
            : "no warm container of pool "
                + lease.pool()
                + " was free: started cold in "
                + container;
    if (!JobLifecycle.ifStillPossible(
        () -> lifecycle.startedInPool(id, attempt, how, container, lease.warm()))) {
      return true; // cancelled while it was placed: nothing ran
    }
    Collection<String> secrets = spec.secrets() == null ? List.of() : spec.secrets().values();
    int timeoutSeconds = spec.timeoutSeconds();
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> deadline =
        scheduler.schedule(
            () -> {
              timedOut.set(true);
              LOG.info("Job " + id + " reached its deadline of " + timeoutSeconds + " s");
              pools.interrupt(id);
            },
            timeoutSeconds,
            TimeUnit.SECONDS);
    Integer exit = null;
    String lost = null;
    try (JobLogs.Writer writer = logs.open(id, attempt, secrets)) {
      try {
        exit = pools.exec(lease, spec.command(), JobRunner.environment(id, attempt, spec), writer);
      } catch (ContainerRuntimeException e) {
        lost = e.getMessage();
      }
      writer.complete();
    } finally {
      deadline.cancel(false);
    }
    // A command that exited on its own, not by a signal, ran in a container that still runs: only
    // a lost or killed one makes the container worth a look (a round trip to the engine).
    String endedUnasked =
        exit == null || exit >= 128 ? pools.endedUnasked(lease).orElse(null) : null;
    String moved = moveOutputs(lease, id);
    JobRunner.Archiving archiving = runner.archiveOutputs(id);
    if (moved != null) {
      archiving = new JobRunner.Archiving(archiving.failure(), moved);
    }
    boolean cancelled = repository.find(id).map(j -> j.state() == JobState.CANCELLED).orElse(true);
    if (cancelled) {
      return false; // the cancel stands; the container was stopped for it
    }
    if (timedOut.get()) {
      end(
          id,
          attempt,
          JobState.TIMED_OUT,
          exit,
          archiving.noted(
              "deadline of " + timeoutSeconds + " s passed; its pool container was replaced"));
      return false;
    }
    if (endedUnasked != null) {
      end(id, attempt, JobState.FAILED, exit, archiving.noted(endedUnasked + " while the job ran"));
      return false;
    }
    if (exit == null) {
      end(
          id,
          attempt,
          JobState.FAILED,
          null,
          archiving.noted("lost sight of its command: " + LogText.escape(String.valueOf(lost))));
      return false;
    }
    if (archiving.failure() != null) {
      end(id, attempt, JobState.FAILED, exit, archiving.noted(archiving.failure()));
      return false;
    }
    if (exit == SIGKILLED && pools.oomKilled(lease)) {
      end(id, attempt, JobState.FAILED, exit, archiving.noted("OOMKilled"));
      return false;
    }
    if (exit == 0) {
      end(id, attempt, JobState.SUCCEEDED, 0, archiving.noted("exited with code 0"));
      return true;
    }
    end(id, attempt, JobState.FAILED, exit, archiving.noted("exited with code " + exit));
    return false;
  }

  /** Moves what the command left in the container's out/ to the job's own, to be archived. */
  private String moveOutputs(PoolLease lease, JobId id) {
    Path from = pools.outDir(lease);
    Path to = workspaces.outDir(id);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(from)) {
      for (Path entry : entries) {
        Files.move(entry, to.resolve(entry.getFileName().toString()), LinkOption.NOFOLLOW_LINKS);
      }
      return null;
    } catch (IOException e) {
      LOG.log(Level.WARNING, "The outputs of job " + id + " could not all be collected", e);
      return "some outputs could not be collected";
    }
  }

  /** Copies the job's inputs, as staged at submission, into the container's workspace. */
  static void copyTree(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Path made = Files.createDirectories(to.resolve(from.relativize(dir).toString()));
            // Readable by the sandbox user whatever the server's umask, as staged inputs are.
            Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rwxr-xr-x"));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (attrs.isRegularFile()) { // staged inputs hold no links; none is followed anyway
              Path copy = to.resolve(from.relativize(file).toString());
              Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
              Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private void end(JobId id, int attempt, JobState state, Integer exitCode, String reason) {
    JobLifecycle.ifStillPossible(() -> lifecycle.finish(id, attempt, state, exitCode, reason));
  }
}

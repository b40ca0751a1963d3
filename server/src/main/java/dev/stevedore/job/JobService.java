package dev.stevedore.job;

import dev.stevedore.core.AccessDeniedException;
import dev.stevedore.core.ConflictException;
import dev.stevedore.core.DomainException;
import dev.stevedore.core.InvalidInputException;
import dev.stevedore.core.JobId;
import dev.stevedore.core.LimitExceededException;
import dev.stevedore.core.NotFoundException;
import dev.stevedore.core.Role;
import dev.stevedore.logs.JobLogs;
import dev.stevedore.logs.LogLine;
import dev.stevedore.rest.StrictJson;
import dev.stevedore.rest.Violations;
import dev.stevedore.security.Caller;
import dev.stevedore.security.TenantService;
import dev.stevedore.workspace.InputStager;
import dev.stevedore.workspace.OutputArchive;
import dev.stevedore.workspace.Workspaces;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import jakarta.validation.Validator;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the API does with jobs: submit, look up, list, cancel, read logs.
 *
 * <p>Each use case that reads or writes the database is one transaction ({@code @Transactional} on
 * its method), in which {@link JobRepository} reads and writes. A refusal (a {@link
 * DomainException}: not found, conflict, refused input, quota) is an answer, not a fault: it
 * neither dooms the transaction nor records a server incident, and it is made before anything is
 * written. Two kinds of method have no transaction of their own: those that read one row and then
 * stream files (outputs, logs), so that no connection is held while a file is copied, and {@link
 * #cancel}, whose state change commits on its own (see there).
 */
@ApplicationScoped
public class JobService {

  private static final Logger LOG = Logger.getLogger(JobService.class.getName());

  @Inject Validator validator;
  @Inject JobLimits limits;
  @Inject JobRepository repository;
  @Inject JobLifecycle lifecycle;
  @Inject JobLogs logs;
  @Inject dev.stevedore.logs.LiveLogs live;
  @Inject JobEnds ends;
  @Inject Workspaces workspaces;
  @Inject InputStager inputs;
  @Inject OutputArchive outputs;
  @Inject dev.stevedore.core.NodeIdentity node;
  @Inject Caller caller;
  @Inject TenantService tenants;
  @Inject PoolPlacement pools;
  @Inject QueueStatus queueStatus;
  @Inject Event<JobSpecChecking> specChecks;
  @Inject JobService self;

  @Resource TransactionSynchronizationRegistry transactions;

  @Inject
  @ConfigProperty(name = "stevedore.jobs.max-spec-bytes")
  long maxSpecBytes;

  /** Files that come with a submission: single files, or one zip to unpack, or neither. */
  public record Inputs(List<InputStager.Upload> files, InputStream zip) {
    public static final Inputs NONE = new Inputs(List.of(), null);
  }

  /** A submission's outcome: the job, and whether this call created it. */
  public record Submission(JobView job, boolean created) {}

  /**
   * Validates the spec, applies the server's defaults and limits, and queues the job. With an
   * idempotency key, a repeated submission of the same spec returns the job made the first time;
   * the same key with another spec is a conflict.
   */
  @Transactional(dontRollbackOn = DomainException.class)
  public Submission submit(JobSpec spec, String idempotencyKey, Inputs files) {
    return submitAs(caller.tenantId(), caller.keyId(), spec, idempotencyKey, files);
  }

  /**
   * As {@link #submit}, on behalf of a tenant and key given rather than the caller's: for work the
   * server starts itself, such as a batch's items (in the transaction of the item's start).
   *
   * <p>One transaction: the idempotency lookup, the quota count under the tenant's lock and the
   * insert. The spec is checked whole first, its callbacks' targets included, so that a spec that
   * cannot run is refused before any input file is written; the inputs are staged before the job is
   * stored, so that no runner can start it without them, and removed again if the transaction does
   * not commit.
   */
  @Transactional(dontRollbackOn = DomainException.class)
  public Submission submitAs(
      String tenant, String keyId, JobSpec spec, String idempotencyKey, Inputs files) {
    JobSpec effective = checked(spec, tenant);
    String json = JobSpecJson.write(effective);
    long bytes = json.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxSpecBytes) {
      // A batch's items reach here without passing the request's size check.
      throw InvalidInputException.forField(
          "spec", "is " + bytes + " bytes as JSON; this server accepts at most " + maxSpecBytes);
    }
    String digest = JobSpecJson.digest(json);
    String key = normalizeKey(idempotencyKey);
    if (key != null) {
      var existing = repository.findByIdempotencyKey(tenant, key);
      if (existing.isPresent()) {
        return new Submission(replay(existing.get(), digest), false);
      }
    }
    int maxQueued = tenants.maxQueued(tenant);
    if (repository.countQueued(tenant, maxQueued) >= maxQueued) {
      // Refused before any input is written; the count that decides is taken again under lock.
      throw queueFull(tenant, maxQueued);
    }
    JobId id = JobId.next();
    Job job = new Job(id, tenant, keyId, effective, json, digest, key, Instant.now());
    removeFilesUnlessCommitted(id);
    try {
      inputs.stage(workspaces.createInputDir(id), files.files(), files.zip(), effective.prompt());
      // The tenant's lock is taken after the files (a slow upload holds no lock) but before the
      // insert, and held from the count to the commit, so that parallel submissions cannot both
      // take the last place. (Taken after the insert, it would deadlock on PostgreSQL: rows that
      // reference the tenant, such as a job's callbacks, take a key-share lock on its row that the
      // other submission's update lock then waits for.)
      int quota = tenants.lockQuotas(tenant).maxQueued();
      if (repository.countQueued(tenant, quota) >= quota) {
        throw queueFull(tenant, quota);
      }
      repository.insert(job, effective);
    } catch (RuntimeException e) {
      workspaces.deleteJobFiles(id);
      if (key == null) {
        throw e;
      }
      // Two submissions with one key may have raced, the other one storing its job first (this
      // one then failed its insert, or found the queue full). A failed insert spoilt this
      // transaction, which ends rolled back: the winner is read in a transaction of its own.
      return self.raceLost(tenant, key, digest).orElseThrow(() -> e);
    }
    return new Submission(view(job, effective, true), true);
  }

  /**
   * The answer to a submission that lost a race on its idempotency key, read in a transaction of
   * its own: the job the other submission stored, if it did.
   */
  @Transactional(value = Transactional.TxType.REQUIRES_NEW, dontRollbackOn = DomainException.class)
  Optional<Submission> raceLost(String tenant, String key, String digest) {
    return repository
        .findByIdempotencyKey(tenant, key)
        .map(winner -> new Submission(replay(winner, digest), false));
  }

  /**
   * Removes the job's files if the transaction that stages them does not commit (a failure at its
   * end, or a caller's rollback after this use case returned): a job that was never stored leaves
   * no directory behind.
   */
  private void removeFilesUnlessCommitted(JobId id) {
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {
            // nothing to do before the commit
          }

          @Override
          public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
              return;
            }
            try {
              workspaces.deleteJobFiles(id);
            } catch (RuntimeException e) {
              LOG.log(
                  Level.WARNING, "Could not remove the files of job " + id + ", never stored", e);
            }
          }
        });
  }

  /** The answer to a submission beyond the tenant's queue quota. */
  static LimitExceededException queueFull(String tenant, int maxQueued) {
    return new LimitExceededException(
        "Tenant "
            + tenant
            + " has "
            + maxQueued
            + " jobs queued, its quota; submit when some have started",
        30);
  }

  @Transactional(dontRollbackOn = DomainException.class)
  public JobView get(JobId id) {
    Job job = visible(id);
    JobView view = view(job, JobSpecJson.read(job.specJson()), true);
    return job.state() == JobState.QUEUED ? waiting(job, view) : view;
  }

  /**
   * Why a queued job waits and how many jobs that may start come before it. Worked out when asked,
   * from the queue and what this node's dispatcher last saw, so that nothing is written per pass.
   */
  private JobView waiting(Job job, JobView view) {
    Set<String> full =
        JobRepository.atQuota(
            repository.activeByTenant(), tenants.maxRunningByTenant(), tenants.defaultMaxRunning());
    Instant now = Instant.now();
    if (job.notBefore() != null && job.notBefore().isAfter(now)) {
      return view.waiting("retry backoff until " + job.notBefore(), null);
    }
    if (full.contains(job.tenantId())) {
      return view.waiting(
          "tenant quota reached: "
              + job.tenantId()
              + " has "
              + tenants.maxRunning(job.tenantId())
              + " jobs running, its quota",
          null);
    }
    long ahead = repository.countAhead(job, full);
    if (!queueStatus.engineAvailable()) {
      return view.waiting("engine unavailable", ahead);
    }
    if (job.pool() != null) {
      var forPool = pools.waitingFor(job.pool(), job.tenantId());
      if (forPool.isPresent()) {
        return view.waiting(forPool.get(), ahead);
      }
    }
    if (queueStatus.freeSlots() == 0 || ahead > 0) {
      return view.waiting(
          queueStatus.freeSlots() == 0
              ? "no free slot"
              : "no free slot for it yet: " + ahead + " jobs ahead",
          ahead);
    }
    return view.waiting("about to start", ahead);
  }

  /** A job spec sent as JSON, read strictly and only up to the server's size for a spec. */
  public JobSpec readSpec(InputStream json) {
    return StrictJson.read(json, maxSpecBytes, JobSpec.class, "spec");
  }

  /** How much of each job's spec a list shows. */
  public enum ListView {
    /** Without command, prompt, env, secrets and callbacks. */
    SUMMARY,
    /** The whole spec, secrets masked. */
    FULL
  }

  /** The caller's jobs by state, and those ended per minute over the last hour. */
  @Transactional(dontRollbackOn = DomainException.class)
  public JobStats stats() {
    java.util.Optional<String> scope = caller.tenantScope();
    Instant now = Instant.now();
    Instant first = now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).minusSeconds(59 * 60);
    long[][] perMinute = new long[60][3];
    long failed = 0;
    for (Object[] row : repository.endedSince(scope, first)) {
      Instant at = (Instant) row[0];
      JobState state = (JobState) row[1];
      int minute = (int) java.time.Duration.between(first, at).toMinutes();
      if (minute < 0 || minute >= 60) {
        continue;
      }
      switch (state) {
        case SUCCEEDED -> perMinute[minute][0]++;
        case FAILED, TIMED_OUT -> {
          perMinute[minute][1]++;
          failed++;
        }
        case CANCELLED -> perMinute[minute][2]++;
        default -> {}
      }
    }
    List<JobStats.Minute> minutes = new java.util.ArrayList<>(60);
    for (int i = 0; i < 60; i++) {
      minutes.add(
          new JobStats.Minute(
              first.plusSeconds(60L * i), perMinute[i][0], perMinute[i][1], perMinute[i][2]));
    }
    return new JobStats(repository.countByState(scope), failed, minutes);
  }

  @Transactional(dontRollbackOn = DomainException.class)
  public JobPage list(JobQuery request, ListView view) {
    // An administrator may narrow the list to one tenant; anyone else sees only their own.
    JobQuery query =
        new JobQuery(
            caller.tenantScope().or(request::tenant),
            request.states(),
            request.name(),
            request.namePrefix(),
            request.labels(),
            request.before(),
            request.limit());
    List<Job> found = repository.list(query);
    boolean more = found.size() > query.limit();
    List<Job> page = more ? found.subList(0, query.limit()) : found;
    List<JobView> items =
        page.stream()
            .map(
                j -> {
                  JobSpec spec = JobSpecJson.read(j.specJson());
                  return view(j, view == ListView.FULL ? spec : spec.summary(), false);
                })
            .toList();
    String next = more ? PageCursor.after(page.get(page.size() - 1).id()) : null;
    return new JobPage(items, next);
  }

  /**
   * Cancels a queued, starting or running job. The dispatcher hears of the change and stops and
   * removes the job's container, if it has one; the answer does not wait for that.
   *
   * <p>No transaction of its own: the state change is {@link JobLifecycle}'s, which commits on its
   * own so that a race lost to another change (the job's end, say) is tried again on fresh data;
   * the answer is read after it, in a transaction of its own.
   */
  public JobView cancel(JobId id) {
    Job job = visible(id);
    if (!caller.role().includes(Role.OPERATOR) && !caller.keyId().equals(job.submittedBy())) {
      throw new AccessDeniedException("A submitter key may cancel only the jobs it submitted");
    }
    lifecycle.transition(id, JobState.CANCELLED, "cancelled by key " + caller.keyName());
    return self.get(id);
  }

  /**
   * Forgets an ended job: its files, its history and the job itself. A job that may still run must
   * be cancelled first.
   */
  @Transactional(dontRollbackOn = DomainException.class)
  public void delete(JobId id) {
    Job job = visible(id);
    if (!job.state().isFinished()) {
      throw notFinished(id, job.state());
    }
    workspaces.deleteJobFiles(id);
    repository.delete(id);
  }

  /** The outputs archive of an ended job. */
  public java.nio.file.Path outputArchive(JobId id) {
    requireFiles(id);
    if (!outputs.exists(id)) {
      throw outputsNotFound(id, "the job has no outputs archive (yet)");
    }
    return outputs.zip(id);
  }

  /** The files of the outputs archive, with their sizes. */
  public List<OutputArchive.OutputFile> outputFiles(JobId id) {
    requireFiles(id);
    return outputs
        .list(id)
        .orElseThrow(() -> outputsNotFound(id, "the job has no outputs archive (yet)"));
  }

  /** Checks that the outputs archive holds {@code path}, as a file. */
  public void requireOutputFile(JobId id, String path) {
    requireFiles(id);
    if (!outputs.has(id, path)) {
      throw outputsNotFound(id, "the job's outputs hold no file '" + path + "'");
    }
  }

  /** Writes one file of the outputs archive to {@code sink}. */
  public void copyOutputFile(JobId id, String path, java.io.OutputStream sink)
      throws java.io.IOException {
    outputs.copy(id, path, sink);
  }

  /** The job if the caller may see it; another tenant's job is a 404 like a missing one. */
  private Job visible(JobId id) {
    return repository
        .find(id, caller.tenantScope())
        .orElseThrow(() -> new JobNotFoundException(id));
  }

  private Job requireFiles(JobId id) {
    Job job = visible(id);
    if (job.filesRemovedAt() != null) {
      throw outputsNotFound(id, "the job's files were removed at " + job.filesRemovedAt());
    }
    return job;
  }

  /**
   * The job once it has ended for good, or as it stands when {@code wait} has passed. A job that
   * ends on another node is seen within a second.
   */
  public JobView awaitEnd(JobId id, java.time.Duration wait) {
    JobView now = get(id);
    if (now.state().isFinished() || wait.isZero()) {
      return now;
    }
    java.util.concurrent.CompletableFuture<Void> end = ends.of(id);
    long giveUpAt = System.nanoTime() + wait.toNanos();
    try {
      while (true) {
        long left = giveUpAt - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          end.get(Math.min(left, 1_000_000_000L), java.util.concurrent.TimeUnit.NANOSECONDS);
          break;
        } catch (java.util.concurrent.TimeoutException e) {
          if (repository.find(id).map(j -> j.state().isFinished()).orElse(true)) {
            break; // ended on another node, or deleted
          }
        } catch (java.util.concurrent.ExecutionException e) {
          break;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    } finally {
      ends.forget(id, end);
    }
    return get(id);
  }

  /**
   * Writes the job's output as it comes: the stored lines of its current attempt, then each new
   * line (of this and later attempts) until the job has ended for good. A client that reads too
   * slowly never holds up the job or anyone else: past a bounded queue its lines are read again
   * from the stored log. {@code format} turns a line into what is written.
   */
  public void follow(
      JobId id, java.util.function.Function<LogLine, String> format, java.io.OutputStream out)
      throws java.io.IOException {
    java.util.concurrent.CompletableFuture<Void> end = ends.of(id);
    java.util.concurrent.BlockingQueue<LogLine> queue =
        new java.util.concurrent.ArrayBlockingQueue<>(10_000);
    java.util.concurrent.atomic.AtomicBoolean overflowed =
        new java.util.concurrent.atomic.AtomicBoolean();
    dev.stevedore.logs.LiveLogs.Follower follower =
        line -> {
          if (!queue.offer(line)) {
            overflowed.set(true);
          }
        };
    live.follow(id, follower);
    try {
      Job job = repository.find(id).orElseThrow(() -> new JobNotFoundException(id));
      long[] last = {job.attempt(), 0}; // the attempt and seq written last
      java.util.function.Consumer<LogLine> write =
          line -> {
            boolean newer =
                line.attempt() > last[0] || (line.attempt() == last[0] && line.seq() > last[1]);
            if (newer) {
              try {
                out.write(format.apply(line).getBytes(java.nio.charset.StandardCharsets.UTF_8));
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              last[0] = line.attempt();
              last[1] = line.seq();
            }
          };
      try {
        logs.lines(id, job.attempt()).forEach(write);
        out.flush();
        long checked = System.nanoTime();
        // A job that runs on another node writes its log there: on shared storage this node reads
        // the new lines from the stored log as they are written.
        boolean elsewhere = runsElsewhere(job);
        while (true) {
          LogLine line = queue.poll(500, java.util.concurrent.TimeUnit.MILLISECONDS);
          if (line != null) {
            write.accept(line);
            for (LogLine more; (more = queue.poll()) != null; ) {
              write.accept(more);
            }
            out.flush();
          }
          if (overflowed.getAndSet(false) || elsewhere) {
            catchUp(id, last, write);
            out.flush();
          }
          boolean ended = end.isDone();
          if (!ended && System.nanoTime() - checked > 2_000_000_000L) {
            checked = System.nanoTime(); // it may end on another node, or be deleted
            Job now = repository.find(id).orElse(null);
            ended = now == null || now.state().isFinished();
            elsewhere = now != null && runsElsewhere(now);
          }
          if (ended) {
            for (LogLine more; (more = queue.poll()) != null; ) {
              write.accept(more);
            }
            catchUp(id, last, write); // the stored log is whole once the job has ended
            out.flush();
            return;
          }
        }
      } catch (java.io.UncheckedIOException gone) {
        throw gone.getCause(); // the client went away
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } finally {
      live.unfollow(id, follower);
      ends.forget(id, end);
    }
  }

  private boolean runsElsewhere(Job job) {
    return job.node() != null && !job.node().equals(node.name());
  }

  /** Writes the stored lines after the last one written, of its attempt and any later one. */
  private void catchUp(JobId id, long[] last, java.util.function.Consumer<LogLine> write) {
    int latest = repository.find(id).map(Job::attempt).orElse((int) last[0]);
    for (int attempt = (int) last[0]; attempt <= latest; attempt++) {
      logs.lines(id, attempt).forEach(write);
    }
  }

  /** The stored output of one attempt (the latest when not given). */
  public String logs(JobId id, JobLogs.Selection selection) {
    Job job = requireFiles(id);
    int attempt = selection.attempt() == null ? job.attempt() : selection.attempt();
    if (attempt < 1 || attempt > job.attempt()) {
      throw InvalidInputException.forField(
          "attempt", "must be between 1 and " + job.attempt() + " for this job");
    }
    return logs.read(id, attempt, selection);
  }

  /** The job a repeated submission made the first time, whole, read in the caller's transaction. */
  private JobView replay(Job existing, String digest) {
    if (!existing.specHash().equals(digest)) {
      throw idempotencyConflict(existing.id());
    }
    return view(existing, JobSpecJson.read(existing.specJson()), true);
  }

  /**
   * The spec as it would run: validated, with the server's defaults applied and its maxima checked.
   * A spec that cannot run is refused with the offending fields.
   */
  public JobSpec checked(JobSpec spec, String tenant) {
    JobSpec placed = spec != null && spec.pool() != null ? pools.placed(spec, tenant) : spec;
    JobSpec effective = limits.apply(Violations.check(validator, placed, "job spec"));
    specChecks.fire(new JobSpecChecking(effective));
    return effective;
  }

  private static String normalizeKey(String key) {
    if (key == null || key.isBlank()) {
      return null;
    }
    String trimmed = key.trim();
    if (trimmed.length() > 200) {
      throw InvalidInputException.forField("Idempotency-Key", "must be at most 200 characters");
    }
    return trimmed;
  }

  /** Deleting a job that may still run. */
  static ConflictException notFinished(JobId id, JobState state) {
    return new ConflictException(
        "job-not-finished",
        "The job has not ended",
        "Job " + id + " is " + state + "; cancel it before deleting it");
  }

  /** No outputs (yet, or any more), or no such output file. */
  static NotFoundException outputsNotFound(JobId id, String why) {
    return new NotFoundException("output", "Job " + id + ": " + why);
  }

  /** The same idempotency key came with another spec. */
  static ConflictException idempotencyConflict(JobId existing) {
    return new ConflictException(
        "idempotency-conflict",
        "The idempotency key was used for another job",
        "Idempotency-Key was already used to submit job " + existing + " with a different spec");
  }

  /** The API's view of a job, with its history when asked. */
  static JobView view(Job job, JobSpec spec, boolean withHistory) {
    List<JobView.Transition> history =
        withHistory
            ? job.history().stream()
                .map(
                    h ->
                        new JobView.Transition(
                            h.from(), h.to(), h.at(), h.attempt(), h.exitCode(), h.reason()))
                .toList()
            : null;
    return new JobView(
        job.id().value(),
        job.name(),
        job.tenantId(),
        job.state(),
        job.attempt(),
        job.exitCode(),
        job.reason(),
        null,
        null,
        job.node(),
        job.warm() == null ? null : job.warm() ? "warm" : "cold",
        job.container(),
        job.createdAt(),
        job.startedAt(),
        job.finishedAt(),
        job.updatedAt(),
        job.state() == JobState.QUEUED ? job.notBefore() : null,
        job.filesRemovedAt(),
        spec.withSecretsMasked(),
        history);
  }
}

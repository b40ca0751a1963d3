package dev.stevedore.dispatch;

import dev.stevedore.core.JobId;
import dev.stevedore.core.NodeAdmission;
import dev.stevedore.core.NodeIdentity;
import dev.stevedore.core.Schedules;
import dev.stevedore.job.JobLifecycle;
import dev.stevedore.job.JobRepository;
import dev.stevedore.job.JobState;
import dev.stevedore.job.JobStateChanged;
import dev.stevedore.job.QueueStatus;
import dev.stevedore.pool.PoolChanged;
import dev.stevedore.pool.PoolLease;
import dev.stevedore.pool.WarmPools;
import dev.stevedore.runtime.ContainerLabels;
import dev.stevedore.runtime.ContainerRuntime;
import dev.stevedore.security.TenantService;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Starts queued jobs: highest priority first, then oldest, and never more at once on this node than
 * {@code stevedore.dispatch.max-concurrent}. It runs on a timer and whenever a job is queued or a
 * slot frees up. A job is claimed with an optimistic lock (QUEUED to STARTING), so two dispatchers
 * sharing a database never start it twice, and under its tenant's lock, so that together they never
 * exceed the tenant's running quota.
 */
@ApplicationScoped
public class Dispatcher {

  private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());

  /** Reads of the queue in one pass at most: the next pass, soon, goes on. */
  private static final int MAX_ROUNDS = 10;

  @Inject JobRepository repository;
  @Inject NodeAdmission admission;
  @Inject JobLifecycle lifecycle;
  @Inject JobRunner runner;
  @Inject ContainerRuntime runtime;
  @Inject NodeIdentity node;
  @Inject TenantService tenants;
  @Inject QueueStatus queueStatus;
  @Inject WarmPools pools;
  @Inject jakarta.enterprise.event.Event<DispatchPassed> passes;

  @Inject
  @ConfigProperty(name = "stevedore.dispatch.max-concurrent")
  int maxConcurrent;

  @Inject
  @ConfigProperty(name = "stevedore.dispatch.poll-interval-ms")
  long pollIntervalMs;

  @Inject
  @ConfigProperty(name = "stevedore.jobs.cancel-grace-seconds")
  int cancelGraceSeconds;

  @Resource ManagedExecutorService executor;
  @Inject Schedules schedules;

  private final AtomicInteger running = new AtomicInteger();
  private final Set<JobId> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean passRequested = new AtomicBoolean();
  private volatile Set<String> poolsWaitedFor = Set.of();
  private final Object passLock = new Object();
  private volatile boolean stopped;
  private volatile long lastPassNanos;

  /** Of the pass under way (under the pass lock): its start once it reads the queue, its claims. */
  private long passStarted;

  private long claimingNanos;
  private int claimedInPass;

  /** Passes at once, then every poll interval besides those that events ask for. */
  public void start() {
    schedules.withFixedDelay(
        "Dispatch pass", Duration.ZERO, Duration.ofMillis(pollIntervalMs), this::dispatch);
  }

  /** Events ask for no more passes; the timed ones stop with the application. */
  @PreDestroy
  void stop() {
    stopped = true;
  }

  public int maxConcurrent() {
    return maxConcurrent;
  }

  /** Jobs this node is running now. */
  public int running() {
    return running.get();
  }

  /** Whether a runner of this server watches the job now. */
  public boolean isInFlight(JobId id) {
    return inFlight.contains(id);
  }

  /**
   * Hands a job whose container exists but that no runner watches (found by the reconciler) to a
   * runner. It takes a slot: the container runs whatever the limit says.
   */
  public void adopt(JobId id) {
    if (inFlight.add(id)) {
      running.incrementAndGet();
      executor.execute(() -> runAndRelease(id, runner::resume));
    }
  }

  void onStateChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobStateChanged change) {
    if (change.to() == JobState.QUEUED || change.to().isFinished()) {
      requestPass();
    }
    if (change.to() == JobState.CANCELLED && change.from() != null && change.from().isActive()) {
      String container = ContainerLabels.containerName(change.jobId().value(), change.attempt());
      executor.execute(
          () -> {
            if (!pools.interrupt(change.jobId())) {
              stopCancelled(change.jobId(), change.attempt(), container);
            }
          });
    }
  }

  /** A sandbox ended: its tenant's running slot is free for a queued job. */
  void onSandboxChange(
      @Observes(during = TransactionPhase.AFTER_SUCCESS)
          dev.stevedore.sandbox.SandboxChanged change) {
    if (change.state() == dev.stevedore.sandbox.SandboxState.ENDED) {
      requestPass();
    }
  }

  /** A pool container came free: a pass, if a job waited for one of that pool at the last. */
  void onPoolChange(@Observes PoolChanged change) {
    if ("warm".equals(change.event()) && poolsWaitedFor.contains(change.pool())) {
      requestPass();
    }
  }

  /** Asks for a pass: a job was queued on another node, which may start here. */
  public void wake() {
    requestPass();
  }

  private void requestPass() {
    if (!stopped && passRequested.compareAndSet(false, true)) {
      executor.execute(this::dispatch);
    }
  }

  /**
   * One pass: claim as many queued jobs as there are free slots and start them. When the jobs read
   * belong to tenants at their running quota (before or during the pass), the queue is read again
   * with those tenants left out by the query itself, so their queued jobs, however many, never hide
   * another tenant's.
   */
  void dispatch() {
    if (stopped) {
      return;
    }
    synchronized (passLock) {
      passRequested.set(false);
      try {
        if (!admission.acceptsWork()) {
          queueStatus.freeSlots(0); // drained by an operator, or above its load ceiling
          return;
        }
        int free = maxConcurrent - running.get();
        queueStatus.freeSlots(Math.max(free, 0));
        if (free <= 0) {
          return;
        }
        passStarted = System.nanoTime();
        // Quotas are read only once something waits: an idle pass costs one query.
        Map<String, Long> active = null;
        Map<String, Integer> quotas = null;
        int defaultQuota = 0;
        Set<String> full = Set.of();
        // Pools with no container free for a job read in this pass: their jobs wait.
        Set<String> exhausted = new HashSet<>();
        int rounds = 0;
        while (free > 0) {
          int limit = free * 2 + 10;
          List<JobRepository.Candidate> candidates =
              repository.nextQueued(full, Set.copyOf(exhausted), limit);
          if (candidates.isEmpty()) {
            break;
          }
          if (active == null) {
            boolean engineUp = runtime.isAvailable();
            queueStatus.engineAvailable(engineUp);
            if (!engineUp) {
              return;
            }
            active = new HashMap<>(repository.activeByTenant());
            quotas = tenants.maxRunningByTenant();
            defaultQuota = tenants.defaultMaxRunning();
          }
          boolean reread = false;
          // The jobs to claim in one go, each counted against its tenant's quota already.
          List<JobRepository.Candidate> batch = new ArrayList<>();
          Map<JobId, PoolLease> leases = new HashMap<>();
          for (JobRepository.Candidate candidate : candidates) {
            if (batch.size() == free) {
              break;
            }
            long tenantActive = active.getOrDefault(candidate.tenant(), 0L);
            if (tenantActive >= quotas.getOrDefault(candidate.tenant(), defaultQuota)) {
              reread = true; // reached its quota in this pass: read past its jobs
              continue;
            }
            JobId id = candidate.id();
            // In flight before the claim, so that the reconciler never sees a claimed job as
            // abandoned. A job still in flight is a retry whose previous runner is finishing:
            // it is left for the pass that runner's end requests.
            if (!inFlight.add(id)) {
              continue;
            }
            if (candidate.pool() != null) {
              // Waited for before it is asked: a container that comes free meanwhile asks for a
              // pass.
              poolsWaitedFor = plus(poolsWaitedFor, candidate.pool());
              var reserved = pools.reserve(candidate.pool(), candidate.tenant(), id);
              if (reserved.isEmpty()) {
                inFlight.remove(id);
                exhausted.add(candidate.pool());
                reread = true; // read past the jobs that wait for this pool
                continue;
              }
              leases.put(id, reserved.get());
            }
            batch.add(candidate);
            active.put(candidate.tenant(), tenantActive + 1);
          }
          Set<JobId> claimed = Set.of();
          long claimStarted = System.nanoTime();
          try {
            if (!batch.isEmpty()) {
              claimed =
                  lifecycle.claim(batch, node.name(), Instant.now().plus(admission.deadAfter()));
            }
          } finally {
            claimingNanos += System.nanoTime() - claimStarted;
            // Not claimed (another node's now, cancelled, or its tenant's quota reached through
            // another node), or the claim failed with its answer lost: either way no runner
            // watches it, so it must not stay in flight; the reconciler settles a claim that
            // committed.
            for (JobRepository.Candidate candidate : batch) {
              if (!claimed.contains(candidate.id())) {
                inFlight.remove(candidate.id());
                PoolLease lease = leases.get(candidate.id());
                if (lease != null) {
                  pools.unreserve(lease);
                }
                active.put(candidate.tenant(), repository.countActive(candidate.tenant()));
                reread = true; // the next jobs in the queue may take its place
              }
            }
          }
          for (JobRepository.Candidate candidate : batch) {
            JobId id = candidate.id();
            if (claimed.contains(id)) {
              running.incrementAndGet();
              PoolLease placed = leases.get(id);
              Consumer<JobId> run = placed == null ? runner::run : job -> runner.run(job, placed);
              executor.execute(() -> runAndRelease(id, run));
            }
          }
          int started = claimed.size();
          claimedInPass += started;
          free -= started;
          queueStatus.freeSlots(free);
          poolsWaitedFor = Set.copyOf(exhausted);
          if (!reread && (started == 0 || candidates.size() < limit) || ++rounds == MAX_ROUNDS) {
            break; // nothing more can start now, or the queue has no more
          }
          // Else read again: tenants at their quota are left out of the next read.
          full = JobRepository.atQuota(active, quotas, defaultQuota);
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Dispatch pass failed; the next one tries again", e);
      } finally {
        lastPassNanos = System.nanoTime();
        if (passStarted != 0) {
          passes.fire(
              new DispatchPassed(
                  Duration.ofNanos(lastPassNanos - passStarted),
                  Duration.ofNanos(claimingNanos),
                  claimedInPass));
          passStarted = 0;
          claimingNanos = 0;
          claimedInPass = 0;
        }
      }
    }
  }

  private static Set<String> plus(Set<String> set, String element) {
    if (set.contains(element)) {
      return set;
    }
    Set<String> more = new HashSet<>(set);
    more.add(element);
    return Set.copyOf(more);
  }

  /** Time since the last dispatch pass ended, or null before the first: liveness reads it. */
  public Duration sinceLastPass() {
    long last = lastPassNanos;
    return last == 0 ? null : Duration.ofNanos(System.nanoTime() - last);
  }

  /** How long without a finished pass means the dispatcher is stuck. */
  public Duration stalledAfter() {
    return Duration.ofMillis(Math.max(60_000, 10 * pollIntervalMs));
  }

  private void runAndRelease(JobId id, Consumer<JobId> work) {
    try {
      work.accept(id);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Runner of job " + id + " failed", e);
    } finally {
      inFlight.remove(id);
      running.decrementAndGet();
      requestPass();
    }
  }

  /**
   * Settles the container of a cancelled job that the reconciler found with no runner, as after a
   * restart: stopped if it still runs, its output and outputs kept, then removed.
   */
  public void settleCancelled(JobId id, int attempt, String container) {
    executor.execute(() -> stopCancelled(id, attempt, container));
  }

  /**
   * Stops a cancelled job's container (SIGTERM, then SIGKILL after the grace period) and leaves it
   * to the runner that follows it: the runner reads the rest of its output, archives its outputs
   * and removes it. Removing it here would take the output from under the runner. A container no
   * runner of this server follows (its runner has ended, or the server restarted) is settled here
   * the same way, unless the job runs on another node.
   */
  private void stopCancelled(JobId id, int attempt, String container) {
    try {
      runtime.stop(container, Duration.ofSeconds(cancelGraceSeconds));
    } catch (RuntimeException e) {
      LOG.warning("Could not stop cancelled container " + container + ": " + e.getMessage());
      return;
    }
    if (!inFlight.add(id)) {
      return; // a runner of this server follows it
    }
    try {
      runner.collectCancelled(id, attempt, container);
    } finally {
      inFlight.remove(id);
    }
  }
}

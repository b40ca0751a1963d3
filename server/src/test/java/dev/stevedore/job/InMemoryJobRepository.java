package dev.stevedore.job;

import dev.stevedore.core.JobId;
import dev.stevedore.security.TenantService;
import jakarta.persistence.OptimisticLockException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The job store held in memory, for fast tests of the code that stands on {@link JobRepository}:
 * the lifecycle, the dispatcher, the runner and the reconciler. It keeps the semantics of the
 * database that they rely on:
 *
 * <ul>
 *   <li>every read is a copy, as each transaction has its own persistence context: a caller sees a
 *       change only by reading the job again;
 *   <li>a state change is checked against the transition table, applied to a copy and committed
 *       with optimistic locking: when another writer committed since the copy was read, nothing is
 *       changed and an {@link OptimisticLockException} is thrown, as JPA does at the flush;
 *   <li>a refused change changes nothing and is answered with an {@link JobRepository.Outcome};
 *   <li>a claim counts the tenant's active jobs against its running quota before it moves the job;
 *   <li>the queue is read highest priority first, then oldest, without the retries that wait for
 *       their backoff and without the tenants left out.
 * </ul>
 *
 * <p>A test scripts a concurrent writer with {@link #meanwhile}: it commits between the next
 * change's read and its commit, so that change loses the race; or with {@link #beforeNextClaim}, so
 * that a claim counts what it wrote. Ids are handed out in ascending order, so the order of
 * submission is the order of age.
 */
public class InMemoryJobRepository extends JobRepository {

  /** The node of jobs placed as active without naming one. */
  public static final String NODE = "node-a";

  /** The tenant of jobs submitted without naming one. */
  public static final String TENANT = "default";

  private final Map<JobId, Job> rows = new LinkedHashMap<>();
  private final Map<String, Integer> maxRunning = new HashMap<>();
  private final List<JobStateChanged> events = new ArrayList<>();
  private final List<Set<String>> queueReads = new ArrayList<>();
  private final Deque<Runnable> meanwhile = new ArrayDeque<>();
  private final Deque<Runnable> beforeClaims = new ArrayDeque<>();
  private RuntimeException failNextQueueRead;
  private int defaultMaxRunning = 100;
  private int lostRaces;
  private long nextId = 1;

  // ---- test control ----

  /** A job as the tests store it: its spec is kept as given (no JSON provider is needed). */
  private static final class StoredJob extends Job {
    private JobSpec spec;

    StoredJob() {}

    StoredJob(JobId id, String tenant, JobSpec spec, Instant now) {
      super(id, tenant, "key-1", spec, "(in memory)", null, null, now);
      this.spec = spec;
    }

    @Override
    public JobSpec spec() {
      return spec;
    }
  }

  /** Stores a new QUEUED job of the default tenant. */
  public JobId submit(JobSpec spec) {
    return submit(spec, TENANT);
  }

  /** Stores a new QUEUED job of this tenant. */
  public synchronized JobId submit(JobSpec spec, String tenant) {
    JobId id = new JobId(String.format("00000000-0000-7000-8000-%012x", nextId++));
    rows.put(id, new StoredJob(id, tenant, spec, Instant.now()));
    return id;
  }

  /**
   * Stores a new job of the default tenant and moves it from QUEUED along {@code path} (STARTING
   * sets the node {@link #NODE}), as if earlier changes had brought it there. No events are
   * recorded.
   */
  public JobId place(JobSpec spec, JobState... path) {
    return place(spec, TENANT, path);
  }

  /** As {@link #place(JobSpec, JobState...)}, for this tenant. */
  public synchronized JobId place(JobSpec spec, String tenant, JobState... path) {
    JobId id = submit(spec, tenant);
    Job job = rows.get(id);
    for (JobState to : path) {
      job.moveTo(to, "placed by the test", Instant.now());
      if (to == JobState.STARTING) {
        job.node(NODE);
      }
    }
    return id;
  }

  /** Sets the job's attempt, as if earlier attempts had ended. */
  public synchronized void attempt(JobId id, int attempt) {
    rows.get(id).attempt(attempt);
  }

  /** Sets when a queued job may start (a retry's backoff). */
  public synchronized void notBefore(JobId id, Instant notBefore) {
    rows.get(id).notBefore(notBefore);
  }

  /**
   * Another transaction writes the job without changing its state (as marking its files removed
   * does): its version moves on, so a change that read it before loses the race.
   */
  public synchronized void touch(JobId id) {
    Job row = rows.get(id);
    set(row, "version", row.version() + 1);
  }

  /** The tenant's running quota; tenants not named have {@link #defaultMaxRunning(int)}. */
  public synchronized InMemoryJobRepository maxRunning(String tenant, int quota) {
    maxRunning.put(tenant, quota);
    return this;
  }

  public synchronized InMemoryJobRepository defaultMaxRunning(int quota) {
    defaultMaxRunning = quota;
    return this;
  }

  /** The lifecycle that changes jobs in this store. */
  public JobLifecycle lifecycle() {
    JobLifecycle lifecycle = new JobLifecycle();
    lifecycle.repository = this;
    lifecycle.database = dev.stevedore.db.DatabaseKind.known(false);
    return lifecycle;
  }

  /** The tenants' quotas as the tenant service gives them: the ones set here. */
  public TenantService tenants() {
    InMemoryJobRepository store = this;
    return new TenantService() {
      @Override
      public Map<String, Integer> maxRunningByTenant() {
        synchronized (store) {
          return Map.copyOf(maxRunning);
        }
      }

      @Override
      public int defaultMaxRunning() {
        synchronized (store) {
          return defaultMaxRunning;
        }
      }

      @Override
      public Quotas lockQuotas(String tenant) {
        return new Quotas(store.quota(tenant), Integer.MAX_VALUE);
      }
    };
  }

  /**
   * Another writer that commits just before the next change (a transition or a claim) does: that
   * change then loses the race. Scripted writers run in order, one per change.
   */
  public synchronized void meanwhile(Runnable writer) {
    meanwhile.add(writer);
  }

  /**
   * Another writer that commits just before the next claim counts the tenant's active jobs (another
   * node starting one of the tenant's jobs, say). Scripted writers run in order, one per claim.
   */
  public synchronized void beforeNextClaim(Runnable writer) {
    beforeClaims.add(writer);
  }

  /** The next read of the queue fails with this, as with a dropped connection. */
  public synchronized void failNextQueueRead(RuntimeException failure) {
    failNextQueueRead = failure;
  }

  /** The job as stored now, which must exist. */
  public Job get(JobId id) {
    return find(id).orElseThrow(() -> new AssertionError("no job " + id));
  }

  public JobState state(JobId id) {
    return get(id).state();
  }

  /** The state changes committed, in order, as their events were fired. */
  public synchronized List<JobStateChanged> events() {
    return List.copyOf(events);
  }

  /** How many changes lost a race (failed on the optimistic lock) so far. */
  public synchronized int lostRaces() {
    return lostRaces;
  }

  /** The tenants left out of each read of the queue, in order: one entry per read. */
  public synchronized List<Set<String>> queueReads() {
    return List.copyOf(queueReads);
  }

  // ---- the repository ----

  @Override
  public synchronized Optional<Job> find(JobId id) {
    return Optional.ofNullable(rows.get(id)).map(InMemoryJobRepository::copy);
  }

  @Override
  public synchronized long countQueued(String tenant, long upTo) {
    return rows.values().stream()
        .filter(j -> j.tenantId().equals(tenant) && j.state() == JobState.QUEUED)
        .limit(upTo)
        .count();
  }

  @Override
  public synchronized long countQueued() {
    return rows.values().stream().filter(j -> j.state() == JobState.QUEUED).count();
  }

  @Override
  public synchronized long countActive(String tenant) {
    return rows.values().stream()
        .filter(j -> j.tenantId().equals(tenant) && j.state().isActive())
        .count();
  }

  @Override
  public synchronized Map<String, Long> activeByTenant() {
    Map<String, Long> counts = new HashMap<>();
    rows.values().stream()
        .filter(j -> j.state().isActive())
        .forEach(j -> counts.merge(j.tenantId(), 1L, Long::sum));
    return counts;
  }

  @Override
  public synchronized List<Job> activeOn(String node) {
    return rows.values().stream()
        .filter(j -> j.state().isActive() && node.equals(j.node()))
        .map(InMemoryJobRepository::copy)
        .toList();
  }

  @Override
  public synchronized List<Candidate> nextQueued(
      Set<String> excluded, Set<String> pools, int limit) {
    queueReads.add(Set.copyOf(excluded));
    RuntimeException failure = failNextQueueRead;
    failNextQueueRead = null;
    if (failure != null) {
      throw failure;
    }
    Instant now = Instant.now();
    return rows.values().stream()
        .filter(j -> j.state() == JobState.QUEUED)
        .filter(j -> j.notBefore() == null || !j.notBefore().isAfter(now))
        .filter(j -> !excluded.contains(j.tenantId()))
        .filter(j -> j.pool() == null || !pools.contains(j.pool()))
        .sorted(Comparator.comparingInt(Job::priority).reversed().thenComparing(Job::id))
        .limit(limit)
        .map(j -> new Candidate(j.id(), j.tenantId(), j.pool()))
        .toList();
  }

  @Override
  public Optional<Job> claim(JobId id, String node, Instant leaseUntil, String reason) {
    Runnable writer;
    synchronized (this) {
      writer = beforeClaims.poll();
    }
    if (writer != null) {
      writer.run();
    }
    Job queued = find(id).orElse(null);
    if (queued == null) {
      return Optional.empty();
    }
    if (countActive(queued.tenantId()) >= quota(queued.tenantId())) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        transition(id, JobState.STARTING, reason, j -> j.claimedBy(node, leaseUntil)).job());
  }

  @Override
  public Outcome transition(JobId id, JobState to, String reason, Consumer<Job> change) {
    return transition(id, null, to, reason, change);
  }

  @Override
  public Outcome transition(
      JobId id, Integer attempt, JobState to, String reason, Consumer<Job> change) {
    Job job = find(id).orElse(null);
    if (job == null) {
      return Outcome.refused(new JobNotFoundException(id));
    }
    if (attempt != null && job.attempt() != attempt) {
      return Outcome.refused(new IllegalTransitionException(id, job.state(), to));
    }
    int known = job.history().size();
    try {
      job.moveTo(to, reason, Instant.now());
      change.accept(job);
    } catch (IllegalTransitionException refused) {
      return Outcome.refused(refused); // the copy is dropped: nothing changed
    }
    Runnable writer;
    synchronized (this) {
      writer = meanwhile.poll();
    }
    if (writer != null) {
      writer.run();
    }
    commit(job, known);
    return Outcome.moved(copy(job));
  }

  @Override
  public synchronized void delete(JobId id) {
    rows.remove(id);
  }

  // ---- inside ----

  private synchronized int quota(String tenant) {
    return maxRunning.getOrDefault(tenant, defaultMaxRunning);
  }

  private synchronized void commit(Job job, int known) {
    Job stored = rows.get(job.id());
    if (stored == null || stored.version() != job.version()) {
      lostRaces++;
      throw new OptimisticLockException("Job " + job.id() + " was changed by another transaction");
    }
    set(job, "version", job.version() + 1);
    rows.put(job.id(), copy(job));
    List<JobHistoryEntry> history = job.history();
    for (int i = known; i < history.size(); i++) {
      JobHistoryEntry entry = history.get(i);
      boolean last = i == history.size() - 1;
      events.add(
          new JobStateChanged(
              job.id(),
              job.tenantId(),
              entry.from(),
              entry.to(),
              entry.attempt(),
              entry.exitCode(),
              entry.reason(),
              entry.at(),
              history.get(i - 1).at(),
              last && entry.to().isFinished()));
    }
  }

  /** A copy of every field; the labels and the history are copied, their entries shared. */
  private static Job copy(Job job) {
    StoredJob copy = new StoredJob();
    for (Class<?> type = job.getClass(); type != Object.class; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        field.setAccessible(true);
        try {
          Object value = field.get(job);
          if (value instanceof Map<?, ?> map) {
            value = new HashMap<>(map);
          } else if (value instanceof List<?> list) {
            value = new ArrayList<>(list);
          }
          field.set(copy, value);
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    return copy;
  }

  private static void set(Job job, String name, Object value) {
    try {
      Field field = Job.class.getDeclaredField(name);
      field.setAccessible(true);
      field.set(job, value);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}

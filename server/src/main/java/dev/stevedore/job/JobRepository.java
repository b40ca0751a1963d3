package dev.stevedore.job;

import dev.stevedore.core.JobId;
import dev.stevedore.security.TenantService;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Storage of jobs: plain data access in the caller's transaction. Reads join it when there is one
 * ({@code SUPPORTS}): a use case reads and writes in one transaction, while a background worker's
 * single read (the dispatcher's, a runner's) needs none. Writes need one ({@code MANDATORY}): they
 * belong to a use case, which is the transaction's boundary.
 *
 * <p>Three writes commit on their own ({@code REQUIRES_NEW}), and say why: a state change ({@link
 * #transition}) and a claim ({@link #claim}), whose optimistic lock failure must surface at their
 * own commit so that {@link JobLifecycle} can try again on fresh data, and the record that a job's
 * files are gone ({@link #markFilesRemoved}).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class JobRepository {

  @PersistenceContext(unitName = "stevedore")
  EntityManager em;

  @Inject Event<JobStateChanged> stateChanges;
  @Inject Event<JobCreating> creations;
  @Inject TenantService tenants;

  @Resource TransactionSynchronizationRegistry transactions;

  /**
   * Stores a new QUEUED job (whose spec, as it runs, is {@code spec}) and announces it, in the
   * caller's transaction: the features that store something with a job (its callbacks) do so in it.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public Job insert(Job job, JobSpec spec) {
    em.persist(job);
    creations.fire(new JobCreating(job.id(), job.tenantId(), spec));
    em.flush();
    JobHistoryEntry first = job.history().get(0);
    stateChanges.fire(
        new JobStateChanged(
            job.id(),
            job.tenantId(),
            null,
            JobState.QUEUED,
            job.attempt(),
            null,
            first.reason(),
            first.at(),
            first.at(),
            false));
    return job;
  }

  public Optional<Job> find(JobId id) {
    return Optional.ofNullable(em.find(Job.class, id.value()));
  }

  /**
   * The job if it belongs to the tenant (any tenant when the scope is empty). Another tenant's job
   * is as absent as one that does not exist.
   */
  public Optional<Job> find(JobId id, Optional<String> tenant) {
    return find(id).filter(job -> tenant.map(job.tenantId()::equals).orElse(true));
  }

  public Optional<Job> findByIdempotencyKey(String tenant, String key) {
    return em.createQuery(
            "SELECT j FROM Job j WHERE j.tenantId = :tenant AND j.idempotencyKey = :key", Job.class)
        .setParameter("tenant", tenant)
        .setParameter("key", key)
        .getResultStream()
        .findFirst();
  }

  /**
   * How many of the tenant's jobs wait in the queue, counted no further than {@code upTo} (its
   * quota): a submission's check reads at most that many index entries, however long the queue.
   */
  public long countQueued(String tenant, long upTo) {
    Number counted =
        (Number)
            em.createNativeQuery(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM job WHERE tenant_id = ?1"
                        + " AND state = 'QUEUED' LIMIT ?2) queued")
                .setParameter(1, tenant)
                .setParameter(2, upTo)
                .getSingleResult();
    return counted.longValue();
  }

  /** How many jobs of all tenants wait in the queue (shared by every node of the database). */
  public long countQueued() {
    return em.createQuery("SELECT COUNT(j) FROM Job j WHERE j.state = :queued", Long.class)
        .setParameter("queued", JobState.QUEUED)
        .getSingleResult();
  }

  /**
   * How many of the tenant's running slots are held, over all nodes: its jobs that hold or are
   * about to hold a container, and its sandboxes that are not over (each holds a slot).
   */
  public long countActive(String tenant) {
    long jobs =
        em.createQuery(
                "SELECT COUNT(j) FROM Job j WHERE j.tenantId = :tenant AND j.state IN :active",
                Long.class)
            .setParameter("tenant", tenant)
            .setParameter("active", List.of(JobState.STARTING, JobState.RUNNING))
            .getSingleResult();
    Number sandboxes =
        (Number)
            em.createNativeQuery(
                    "SELECT COUNT(*) FROM sandbox WHERE tenant_id = ?1 AND state <> 'ENDED'")
                .setParameter(1, tenant)
                .getSingleResult();
    return jobs + sandboxes.longValue();
  }

  /**
   * QUEUED to STARTING on {@code node}, unless the job's tenant has its running quota of jobs
   * active already: the count and the claim happen under the tenant's lock, so that two nodes
   * cannot both start the tenant's last allowed job. Empty when the quota is reached. A transaction
   * of its own, committed before the dispatcher hands the job to a runner.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Optional<Job> claim(JobId id, String node, Instant leaseUntil, String reason) {
    Job queued = find(id).orElse(null);
    if (queued == null) {
      return Optional.empty(); // deleted since it was read
    }
    int maxRunning = tenants.lockQuotas(queued.tenantId()).maxRunning();
    if (countActive(queued.tenantId()) >= maxRunning) {
      return Optional.empty();
    }
    // Called on this bean, not through its proxy: one transaction with the lock.
    Outcome claimed =
        transition(id, JobState.STARTING, reason, job -> job.claimedBy(node, leaseUntil));
    return Optional.ofNullable(claimed.job());
  }

  /**
   * QUEUED to STARTING on {@code node}, its claim held until {@code leaseUntil}, for as many of
   * {@code candidates} (in dispatch order) as their tenants' running quotas allow: PostgreSQL only,
   * one transaction of its own. The tenants' locks are taken first, in the order of their ids (so
   * that two nodes never wait for each other), and the room under each quota counted under them;
   * then one statement claims the jobs, skipping any that another transaction holds ({@code FOR
   * UPDATE SKIP LOCKED}: another node's claim, a cancel) or that are no longer queued. The jobs
   * claimed, each with its history entry and its event.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public List<Job> claimAll(
      List<Candidate> candidates, String node, Instant leaseUntil, String reason) {
    Map<String, Long> room = new java.util.HashMap<>();
    for (String tenant :
        new java.util.TreeSet<>(candidates.stream().map(Candidate::tenant).toList())) {
      room.put(tenant, tenants.lockQuotas(tenant).maxRunning() - countActive(tenant));
    }
    List<String> ids = new ArrayList<>();
    for (Candidate candidate : candidates) {
      if (room.merge(candidate.tenant(), -1L, Long::sum) >= 0) {
        ids.add(candidate.id().value());
      }
    }
    if (ids.isEmpty()) {
      return List.of();
    }
    Instant now = Instant.now();
    StringBuilder placeholders = new StringBuilder();
    for (int i = 0; i < ids.size(); i++) {
      placeholders.append(i == 0 ? "?" : ", ?").append(i + 5);
    }
    jakarta.persistence.Query update =
        em.createNativeQuery(
                "UPDATE job SET state = 'STARTING', node = ?1, lease_until = ?2, reason = ?3,"
                    + " updated_at = ?4, version = version + 1"
                    + " WHERE id IN (SELECT id FROM job WHERE id IN ("
                    + placeholders
                    + ") AND state = 'QUEUED' FOR UPDATE SKIP LOCKED)"
                    + " RETURNING id")
            .setParameter(1, node)
            .setParameter(
                2, java.time.OffsetDateTime.ofInstant(leaseUntil, java.time.ZoneOffset.UTC))
            .setParameter(3, reason)
            .setParameter(4, java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
    for (int i = 0; i < ids.size(); i++) {
      update.setParameter(i + 5, ids.get(i));
    }
    Set<Object> claimedIds = new HashSet<Object>((List<?>) update.getResultList());
    if (claimedIds.isEmpty()) {
      return List.of();
    }
    List<Job> claimed = new ArrayList<>();
    Map<Job, Integer> pending = new java.util.LinkedHashMap<>();
    for (String id : ids) { // read after the statement: the claimed state, in dispatch order
      if (claimedIds.contains(id)) {
        Job job = em.find(Job.class, id);
        int known = job.history().size();
        job.recordClaim(reason, now);
        claimed.add(job);
        pending.put(job, known);
      }
    }
    em.flush(); // the history entries, before their events
    pending.forEach(this::announce);
    return claimed;
  }

  /** The tenants of {@code quotas} (or with active jobs) whose active jobs reach their quota. */
  public static Set<String> atQuota(
      Map<String, Long> active, Map<String, Integer> quotas, int defaultQuota) {
    Set<String> full = new HashSet<>();
    quotas.forEach(
        (tenant, max) -> {
          if (active.getOrDefault(tenant, 0L) >= max) {
            full.add(tenant);
          }
        });
    active.forEach(
        (tenant, count) -> {
          if (count >= quotas.getOrDefault(tenant, defaultQuota)) {
            full.add(tenant);
          }
        });
    return full;
  }

  /** Jobs per state, of one tenant or (with none) of all. */
  public Map<JobState, Long> countByState(Optional<String> tenant) {
    Map<JobState, Long> counts = new java.util.EnumMap<>(JobState.class);
    for (JobState state : JobState.values()) {
      counts.put(state, 0L);
    }
    TypedQuery<Object[]> query =
        em.createQuery(
            "SELECT j.state, COUNT(j) FROM Job j"
                + (tenant.isPresent() ? " WHERE j.tenantId = :tenant" : "")
                + " GROUP BY j.state",
            Object[].class);
    tenant.ifPresent(t -> query.setParameter("tenant", t));
    query.getResultList().forEach(row -> counts.put((JobState) row[0], (Long) row[1]));
    return counts;
  }

  /** When and how the jobs that ended since {@code since} ended, of one tenant or of all. */
  public List<Object[]> endedSince(Optional<String> tenant, Instant since) {
    TypedQuery<Object[]> query =
        em.createQuery(
                "SELECT j.finishedAt, j.state FROM Job j WHERE j.finishedAt >= :since"
                    + (tenant.isPresent() ? " AND j.tenantId = :tenant" : ""),
                Object[].class)
            .setParameter("since", since);
    tenant.ifPresent(t -> query.setParameter("tenant", t));
    return query.getResultList();
  }

  /** Running slots held per tenant, over all nodes: see {@link #countActive}. */
  public Map<String, Long> activeByTenant() {
    Map<String, Long> counts = new java.util.HashMap<>();
    em.createQuery(
            "SELECT j.tenantId, COUNT(j) FROM Job j WHERE j.state IN :active GROUP BY j.tenantId",
            Object[].class)
        .setParameter("active", List.of(JobState.STARTING, JobState.RUNNING))
        .getResultList()
        .forEach(row -> counts.put((String) row[0], (Long) row[1]));
    List<?> sandboxes =
        em.createNativeQuery(
                "SELECT tenant_id, COUNT(*) FROM sandbox WHERE state <> 'ENDED' GROUP BY tenant_id")
            .getResultList();
    for (Object row : sandboxes) {
      Object[] columns = (Object[]) row;
      counts.merge((String) columns[0], ((Number) columns[1]).longValue(), Long::sum);
    }
    return counts;
  }

  /**
   * Applies one state change: checks it against the transition table, lets {@code change} set the
   * fields that go with it, records it in the history and fires its event. A transaction of its
   * own: an optimistic lock failure surfaces here, at the flush, so that the caller can read the
   * job again in a fresh one; a use case that asks for a state change does not hold it back either.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Outcome transition(JobId id, JobState to, String reason, Consumer<Job> change) {
    return transition(id, null, to, reason, change);
  }

  /**
   * As {@link #transition(JobId, JobState, String, Consumer)}, refused when the job is no longer at
   * {@code attempt} (null: at any): an attempt that moved on, to another node after this one was
   * lost, is never ended or changed by its former runner.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
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
      change.accept(job); // may move the job on again, as a retry does
    } catch (IllegalTransitionException refused) {
      transactions.setRollbackOnly();
      return Outcome.refused(refused);
    }
    em.flush();
    announce(job, known);
    return Outcome.moved(job);
  }

  /** Fires the event of each history entry of {@code job} after the first {@code known}. */
  private void announce(Job job, int known) {
    JobId id = job.id();
    List<JobHistoryEntry> history = job.history();
    for (int i = known; i < history.size(); i++) {
      JobHistoryEntry entry = history.get(i);
      boolean last = i == history.size() - 1;
      stateChanges.fire(
          new JobStateChanged(
              id,
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

  /**
   * Hands the current attempt of an active job from the lost node {@code from} to {@code to}, whose
   * engine runs its container too: the same attempt goes on, followed from {@code to}. False if the
   * job has moved on meanwhile (ended, another attempt, another node). A transaction of its own; an
   * optimistic lock failure (another node adopting it at once) surfaces at its commit.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public boolean adopt(
      JobId id, int attempt, String from, String to, Instant leaseUntil, String reason) {
    Job job = find(id).orElse(null);
    if (job == null
        || !job.state().isActive()
        || job.attempt() != attempt
        || !from.equals(job.node())) {
      return false;
    }
    job.adoptedBy(to, leaseUntil, reason, Instant.now());
    em.flush();
    return true;
  }

  /**
   * A state change made, or the refusal of one. A refusal is an expected answer (a cancel of an
   * ended job, a runner that ends a cancelled one): it is thrown by the caller once the transaction
   * is over, since the server records every exception that leaves a transaction as an incident.
   */
  public record Outcome(Job job, RuntimeException refusal) {

    static Outcome moved(Job job) {
      return new Outcome(job, null);
    }

    static Outcome refused(RuntimeException refusal) {
      return new Outcome(null, refusal);
    }

    /** The job as changed, or the refusal thrown. */
    public Job orThrow() {
      if (refusal != null) {
        throw refusal;
      }
      return job;
    }
  }

  /**
   * Ids of QUEUED jobs that may start now, in the order they should: highest priority, then oldest.
   * A retry waiting for its backoff is left out until its time, and so are the jobs of the tenants
   * in {@code excluded} (those at their running quota): however many jobs they have queued, they
   * never hide another tenant's.
   */
  public List<Candidate> nextQueued(Set<String> excluded, int limit) {
    return nextQueued(excluded, Set.of(), limit);
  }

  /** As {@link #nextQueued(Set, int)}, leaving out too the jobs of the pools in {@code pools}. */
  public List<Candidate> nextQueued(Set<String> excluded, Set<String> pools, int limit) {
    TypedQuery<Object[]> query =
        em.createQuery(
                "SELECT j.id, j.tenantId, j.pool FROM Job j WHERE j.state = :queued"
                    + " AND (j.notBefore IS NULL OR j.notBefore <= :now)"
                    + (excluded.isEmpty() ? "" : " AND j.tenantId NOT IN :excluded")
                    + (pools.isEmpty() ? "" : " AND (j.pool IS NULL OR j.pool NOT IN :pools)")
                    + " ORDER BY j.priority DESC, j.id ASC",
                Object[].class)
            .setParameter("queued", JobState.QUEUED)
            .setParameter("now", Instant.now());
    if (!excluded.isEmpty()) {
      query.setParameter("excluded", List.copyOf(excluded));
    }
    if (!pools.isEmpty()) {
      query.setParameter("pools", List.copyOf(pools));
    }
    return query.setMaxResults(limit).getResultList().stream()
        .map(row -> new Candidate(new JobId((String) row[0]), (String) row[1], (String) row[2]))
        .toList();
  }

  /**
   * How many QUEUED jobs come before {@code job} in the dispatch order (priority, then age) among
   * those that may start now: due, and not of a tenant in {@code excluded}.
   */
  public long countAhead(Job job, Set<String> excluded) {
    TypedQuery<Long> query =
        em.createQuery(
                "SELECT COUNT(j) FROM Job j WHERE j.state = :queued"
                    + " AND (j.notBefore IS NULL OR j.notBefore <= :now)"
                    + (excluded.isEmpty() ? "" : " AND j.tenantId NOT IN :excluded")
                    + " AND (j.priority > :priority OR (j.priority = :priority AND j.id < :id))",
                Long.class)
            .setParameter("queued", JobState.QUEUED)
            .setParameter("now", Instant.now())
            .setParameter("priority", job.priority())
            .setParameter("id", job.id().value());
    if (!excluded.isEmpty()) {
      query.setParameter("excluded", List.copyOf(excluded));
    }
    return query.getSingleResult();
  }

  /** A queued job that may start, and its tenant. */
  /** A queued job that may start, with the pool it names, if any. */
  public record Candidate(JobId id, String tenant, String pool) {}

  /** Jobs that a container may exist for on this node (STARTING or RUNNING there). */
  public List<Job> activeOn(String node) {
    return em.createQuery(
            "SELECT j FROM Job j WHERE j.state IN :active AND j.node = :node", Job.class)
        .setParameter("active", List.of(JobState.STARTING, JobState.RUNNING))
        .setParameter("node", node)
        .getResultList();
  }

  /** Jobs that ended before {@code before} and still have files. */
  public List<JobId> finishedWithFilesBefore(Instant before, int limit) {
    return em
        .createQuery(
            "SELECT j.id FROM Job j WHERE j.finishedAt < :before AND j.filesRemovedAt IS NULL"
                + " AND j.state IN :finished ORDER BY j.finishedAt",
            String.class)
        .setParameter("before", before)
        .setParameter(
            "finished",
            List.of(JobState.SUCCEEDED, JobState.FAILED, JobState.TIMED_OUT, JobState.CANCELLED))
        .setMaxResults(limit)
        .getResultList()
        .stream()
        .map(JobId::new)
        .toList();
  }

  /**
   * Records that the job's files are gone, at once (a transaction of its own): the files went
   * already, and a cleanup pass over many jobs must not lose what it did when one of them fails.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void markFilesRemoved(JobId id, Instant when) {
    find(id).ifPresent(job -> job.filesRemovedAt(when));
  }

  /** Forgets a job and its history. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void delete(JobId id) {
    find(id).ifPresent(em::remove);
  }

  /** Up to {@code query.limit() + 1} jobs, newest first; the extra one tells that more exist. */
  public List<Job> list(JobQuery query) {
    StringBuilder jpql = new StringBuilder("SELECT j FROM Job j");
    List<String> conditions = new ArrayList<>();
    int labelIndex = 0;
    for (String ignored : query.labels().keySet()) {
      jpql.append(" JOIN j.labels l").append(labelIndex);
      conditions.add("KEY(l" + labelIndex + ") = :lk" + labelIndex);
      conditions.add("VALUE(l" + labelIndex + ") = :lv" + labelIndex);
      labelIndex++;
    }
    if (query.tenant().isPresent()) {
      conditions.add("j.tenantId = :tenant");
    }
    if (!query.states().isEmpty()) {
      conditions.add("j.state IN :states");
    }
    if (query.name() != null) {
      conditions.add("j.name = :name");
    }
    if (query.namePrefix() != null) {
      conditions.add("j.name LIKE :prefix ESCAPE '\\'");
    }
    if (query.before() != null) {
      conditions.add("j.id < :before");
    }
    if (!conditions.isEmpty()) {
      jpql.append(" WHERE ").append(String.join(" AND ", conditions));
    }
    jpql.append(" ORDER BY j.id DESC");

    TypedQuery<Job> typed = em.createQuery(jpql.toString(), Job.class);
    int i = 0;
    for (Map.Entry<String, String> label : query.labels().entrySet()) {
      typed.setParameter("lk" + i, label.getKey()).setParameter("lv" + i, label.getValue());
      i++;
    }
    query.tenant().ifPresent(tenant -> typed.setParameter("tenant", tenant));
    if (!query.states().isEmpty()) {
      typed.setParameter("states", query.states());
    }
    if (query.name() != null) {
      typed.setParameter("name", query.name());
    }
    if (query.namePrefix() != null) {
      typed.setParameter("prefix", likePrefix(query.namePrefix()));
    }
    if (query.before() != null) {
      typed.setParameter("before", query.before().value());
    }
    return typed.setMaxResults(query.limit() + 1).getResultList();
  }

  /** A LIKE pattern for names that start with {@code prefix}, its wildcards taken literally. */
  static String likePrefix(String prefix) {
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }
}

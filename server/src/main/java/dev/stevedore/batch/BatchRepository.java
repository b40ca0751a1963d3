package dev.stevedore.batch;

import dev.stevedore.job.JobState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Batches and their items in the database. Plain data access in the caller's transaction: reads
 * join it when there is one ({@code SUPPORTS}), writes that belong to it need one ({@code
 * MANDATORY}).
 *
 * <p>Most writes commit on their own ({@code REQUIRES_NEW}), and say why: the batch runtime runs a
 * batch's steps on threads of its own, in chunk transactions that stay open until a checkpoint, so
 * what a step or an operator writes while a step waits for an item's job must be committed at once
 * to be seen, and nothing may wait for a chunk's transaction. For the same reason a new batch is
 * committed before the runtime is asked to start it.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class BatchRepository {

  @PersistenceContext(unitName = "stevedore")
  EntityManager em;

  @jakarta.inject.Inject jakarta.enterprise.event.Event<BatchProgressed> progress;

  /** Stores a new batch and its items, committed before the batch runtime starts it. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  void insert(Batch batch, List<BatchItem> items) {
    em.persist(batch);
    items.forEach(em::persist);
  }

  /** Forgets a batch that the runtime would not start: it was committed already. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  void delete(String batchId) {
    em.createQuery("DELETE FROM BatchItem i WHERE i.batchId = :batch")
        .setParameter("batch", batchId)
        .executeUpdate();
    em.createQuery("DELETE FROM Batch b WHERE b.id = :batch")
        .setParameter("batch", batchId)
        .executeUpdate();
  }

  public Optional<Batch> find(String id) {
    return Optional.ofNullable(em.find(Batch.class, id));
  }

  /** The batch if it exists and the scope (a tenant, or none for all) may see it. */
  public Optional<Batch> find(String id, Optional<String> tenantScope) {
    return find(id).filter(b -> tenantScope.map(b.tenantId()::equals).orElse(true));
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void executionStarted(String batchId, long executionId, String node) {
    em.find(Batch.class, batchId).executionId(executionId, node);
  }

  /**
   * Marks failed, in the batch runtime's own tables, the unfinished executions of batches that the
   * lost node {@code node} ran (the runtime marks a server's executions failed only when that same
   * server starts again): an operator can then restart them from any node. PostgreSQL only, where
   * several nodes share the database. The ids of the batches marked.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public List<String> failExecutionsOfLostNode(String node) {
    Number ran =
        (Number)
            em.createNativeQuery(
                    "SELECT COUNT(*) FROM batch WHERE node = ?1 AND execution_id IS NOT NULL")
                .setParameter(1, node)
                .getSingleResult();
    if (ran.longValue() == 0) {
      return List.of(); // nothing to mark (and the runtime's tables exist only once a batch ran)
    }
    // The runtime stores a BatchStatus and an instance state by their ordinals: STARTING 0,
    // STARTED 1, STOPPING 2, FAILED 4; the instance state FAILED is 4 too.
    List<?> failed =
        em.createNativeQuery(
                "UPDATE wlpjobexecution SET batchstatus = 4, exitstatus = 'FAILED',"
                    + " endtime = LOCALTIMESTAMP, updatetime = LOCALTIMESTAMP"
                    + " WHERE batchstatus IN (0, 1, 2)"
                    + " AND jobexecid IN (SELECT execution_id FROM batch WHERE node = ?1)"
                    + " RETURNING jobexecid")
            .setParameter(1, node)
            .getResultList();
    if (failed.isEmpty()) {
      return List.of();
    }
    List<Long> executions = failed.stream().map(id -> ((Number) id).longValue()).toList();
    // Numbers the database just returned: written into the statements as they are.
    String ids = String.join(",", executions.stream().map(String::valueOf).toList());
    em.createNativeQuery(
            "UPDATE wlpstepthreadexecution SET batchstatus = 4, exitstatus = 'FAILED',"
                + " endtime = LOCALTIMESTAMP WHERE batchstatus IN (0, 1, 2)"
                + " AND fk_jobexecid IN ("
                + ids
                + ")")
        .executeUpdate();
    em.createNativeQuery(
            "UPDATE wlpjobinstance SET batchstatus = 4, instancestate = 4,"
                + " updatetime = LOCALTIMESTAMP WHERE jobinstanceid IN"
                + " (SELECT fk_jobinstanceid FROM wlpjobexecution WHERE jobexecid IN ("
                + ids
                + "))")
        .executeUpdate();
    return em.createQuery(
            "SELECT b.id FROM Batch b WHERE b.executionId IN :executions", String.class)
        .setParameter("executions", executions)
        .getResultList();
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void stopRequested(String batchId, boolean requested) {
    em.find(Batch.class, batchId).stopRequested(requested);
  }

  /** Whether an operator asked the batch to stop, read fresh. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public boolean stopRequestedNow(String batchId) {
    return em.find(Batch.class, batchId).stopRequested();
  }

  /** Whether an operator asked the batch to stop, read in the caller's transaction. */
  @Transactional(Transactional.TxType.MANDATORY)
  boolean stopRequestedHere(String batchId) {
    return em.find(Batch.class, batchId).stopRequested();
  }

  /** The batch as stored now, read in a transaction of its own. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Batch fresh(String batchId) {
    return em.find(Batch.class, batchId);
  }

  /** Whether an item has failed the batch already: the other partitions then stop early. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public boolean hasFailed(String batchId) {
    return em.createQuery(
                "SELECT COUNT(i) FROM BatchItem i WHERE i.batchId = :batch AND i.state = :failed",
                Long.class)
            .setParameter("batch", batchId)
            .setParameter("failed", BatchItemState.FAILED)
            .getSingleResult()
        > 0;
  }

  /** The batch's items, in order. */
  public List<BatchItem> items(String batchId) {
    return em.createQuery(
            "SELECT i FROM BatchItem i WHERE i.batchId = :batch ORDER BY i.index", BatchItem.class)
        .setParameter("batch", batchId)
        .getResultList();
  }

  /** The batch's items in the given states, in order. */
  public List<BatchItem> items(String batchId, List<BatchItemState> states) {
    return em.createQuery(
            "SELECT i FROM BatchItem i WHERE i.batchId = :batch AND i.state IN :states"
                + " ORDER BY i.index",
            BatchItem.class)
        .setParameter("batch", batchId)
        .setParameter("states", states)
        .getResultList();
  }

  /** The item as stored now, read in a transaction of its own. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public BatchItem item(String batchId, int index) {
    return em.find(BatchItem.class, BatchItem.id(batchId, index));
  }

  /**
   * How many of the batch's items ended at or after {@code since}: recorded so, or (as {@link
   * #counts} has it) still recorded RUNNING while their job succeeded then. One statement.
   */
  public long countEndedSince(String batchId, Instant since) {
    return em.createQuery(
            "SELECT COUNT(i) FROM BatchItem i WHERE i.batchId = :batch AND (i.finishedAt >= :since"
                + " OR (i.state = :running AND i.jobId IN (SELECT j.id FROM Job j"
                + " WHERE j.state = :succeeded AND j.finishedAt >= :since)))",
            Long.class)
        .setParameter("batch", batchId)
        .setParameter("since", since)
        .setParameter("running", BatchItemState.RUNNING)
        .setParameter("succeeded", JobState.SUCCEEDED)
        .getSingleResult();
  }

  /**
   * How many of the batch's items are in each state, as they stand now. An item stays recorded
   * RUNNING after its job ended until it is recorded (a success when its chunk commits, every
   * {@code checkpointEvery} items; a failure at once), so an item counts by its job's end as soon
   * as that is stored: see {@link #counted}. One statement, so one consistent reading of both
   * tables, whatever commits meanwhile.
   */
  public Map<BatchItemState, Long> counts(String batchId) {
    Map<BatchItemState, Long> counts = new EnumMap<>(BatchItemState.class);
    for (BatchItemState state : BatchItemState.values()) {
      counts.put(state, 0L);
    }
    List<?> rows =
        em.createNativeQuery(
                "SELECT i.state, j.state, COUNT(*) FROM batch_item i"
                    + " LEFT JOIN job j ON j.id = i.job_id AND i.state = 'RUNNING'"
                    + " WHERE i.batch_id = ?1 GROUP BY i.state, j.state")
            .setParameter(1, batchId)
            .getResultList();
    for (Object row : rows) {
      Object[] columns = (Object[]) row;
      BatchItemState recorded = BatchItemState.valueOf((String) columns[0]);
      JobState job = columns[1] == null ? null : JobState.valueOf((String) columns[1]);
      counts.merge(counted(recorded, job), ((Number) columns[2]).longValue(), Long::sum);
    }
    return counts;
  }

  /**
   * The state an item counts in, from its recorded state and (for a RUNNING one) its job's state. A
   * RUNNING item whose job succeeded counts as SUCCEEDED: the job's success is final and the
   * processor passes it on unchanged. One whose job ended otherwise counts as left (PENDING) until
   * the processor records it, at once: SKIPPED or FAILED then, or PENDING again if a stop cancelled
   * it; after a crash it stays so, and runs again on restart. Only an item whose job is queued,
   * starting or running (or was deleted, which the processor records at once) counts as RUNNING.
   */
  static BatchItemState counted(BatchItemState recorded, JobState job) {
    if (recorded != BatchItemState.RUNNING || job == null) {
      return recorded;
    }
    if (job == JobState.SUCCEEDED) {
      return BatchItemState.SUCCEEDED;
    }
    return job.isFinished() ? BatchItemState.PENDING : BatchItemState.RUNNING;
  }

  /**
   * Tells the observers of {@link BatchProgressed} of an item whose job the processor saw end, at
   * once: outside the chunk's transaction (which records the item only when it commits), so the
   * transactional observers hear it now.
   */
  @Transactional(Transactional.TxType.NOT_SUPPORTED)
  public void itemJobEnded(String batchId, List<BatchItemState> ended) {
    progress.fire(new BatchProgressed(batchId, ended));
  }

  /**
   * Before a restart: items that failed the batch, and items whose job a stop cancelled, are to run
   * again. Items that succeeded or were skipped stay as they are.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public int resetForRestart(String batchId, java.util.Set<String> cancelledJobs) {
    int reset = 0;
    for (BatchItem item : items(batchId, List.of(BatchItemState.FAILED, BatchItemState.RUNNING))) {
      if (item.state() == BatchItemState.FAILED || cancelledJobs.contains(item.jobId())) {
        item.ended(BatchItemState.PENDING, null, "to run again after a restart", null);
        reset++;
      }
    }
    return reset;
  }

  /** Records that the item's job is {@code jobId}, in the transaction that inserted the job. */
  @Transactional(Transactional.TxType.MANDATORY)
  void itemStarted(String batchId, int index, String jobId) {
    em.find(BatchItem.class, BatchItem.id(batchId, index)).started(jobId);
  }

  /** Records an item's end in the caller's transaction: the writer's chunk transaction. */
  @Transactional(Transactional.TxType.MANDATORY)
  void itemEnded(String batchId, int index, BatchItemState state, Integer exitCode, String reason) {
    em.find(BatchItem.class, BatchItem.id(batchId, index))
        .ended(state, exitCode, reason, Instant.now());
  }

  /**
   * Records a failed item at once, in a transaction of its own, and tells whether the batch has now
   * failed more items than it may pass over: then the item is FAILED (and the batch fails), else
   * SKIPPED.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public BatchItemState itemFailed(
      String batchId, int index, int maxFailedItems, Integer exitCode, String reason) {
    // Partitions fail items at the same time: the batch row's lock makes them count in turn.
    em.find(Batch.class, batchId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    long failedBefore =
        em.createQuery(
                "SELECT COUNT(i) FROM BatchItem i WHERE i.batchId = :batch AND i.state IN :failed"
                    + " AND i.index <> :index",
                Long.class)
            .setParameter("batch", batchId)
            .setParameter("failed", List.of(BatchItemState.FAILED, BatchItemState.SKIPPED))
            .setParameter("index", index)
            .getSingleResult();
    BatchItemState state =
        failedBefore + 1 > maxFailedItems ? BatchItemState.FAILED : BatchItemState.SKIPPED;
    em.find(BatchItem.class, BatchItem.id(batchId, index))
        .ended(state, exitCode, reason, Instant.now());
    progress.fire(new BatchProgressed(batchId, List.of(state)));
    return state;
  }

  /** Batches of a tenant (all for an administrator), newest first. */
  public List<Batch> list(Optional<String> tenantScope, int limit) {
    return em.createQuery(
            "SELECT b FROM Batch b WHERE (:tenant IS NULL OR b.tenantId = :tenant)"
                + " ORDER BY b.id DESC",
            Batch.class)
        .setParameter("tenant", tenantScope.orElse(null))
        .setMaxResults(limit)
        .getResultList();
  }
}

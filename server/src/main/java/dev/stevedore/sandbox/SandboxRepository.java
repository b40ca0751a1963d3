package dev.stevedore.sandbox;

import dev.stevedore.core.ConflictException;
import dev.stevedore.core.LimitExceededException;
import dev.stevedore.job.JobRepository;
import dev.stevedore.security.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stored sandboxes and their execs. Each change of state is a transaction of its own, so that no
 * transaction is held while the engine works, and fires one {@link SandboxChanged} after it
 * commits.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class SandboxRepository {

  @PersistenceContext(unitName = "stevedore")
  EntityManager em;

  @Inject TenantService tenants;
  @Inject JobRepository jobs;
  @Inject Event<SandboxChanged> changes;

  public Optional<Sandbox> find(String id) {
    return Optional.ofNullable(em.find(Sandbox.class, id));
  }

  /**
   * Stores a new sandbox as STARTING, unless its tenant's running slots are all held: the count and
   * the insert happen under the tenant's lock, as a job's claim does.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Sandbox add(Sandbox sandbox) {
    int maxRunning = tenants.lockQuotas(sandbox.tenantId()).maxRunning();
    long held = jobs.countActive(sandbox.tenantId());
    if (held >= maxRunning) {
      throw new LimitExceededException(
          "Tenant "
              + sandbox.tenantId()
              + " holds "
              + held
              + " of its "
              + maxRunning
              + " running slots (jobs and sandboxes); end a sandbox or wait for a job",
          30);
    }
    em.persist(sandbox);
    return sandbox;
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Sandbox ready(String id, String container, boolean warm) {
    Sandbox sandbox = em.find(Sandbox.class, id);
    if (sandbox == null || sandbox.state() != SandboxState.STARTING) {
      throw new ConflictException(
          "sandbox-ended", "The sandbox ended", "Sandbox " + id + " ended while it started");
    }
    sandbox.ready(container, warm, Instant.now());
    changes.fire(SandboxChanged.of(sandbox));
    return sandbox;
  }

  /** Ends the sandbox with the reason; false if it had ended already. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public boolean end(String id, String reason) {
    Sandbox sandbox = em.find(Sandbox.class, id);
    if (sandbox == null || !sandbox.state().isLive()) {
      return false;
    }
    sandbox.end(reason, Instant.now());
    changes.fire(SandboxChanged.of(sandbox));
    return true;
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void recordExec(SandboxExec exec) {
    em.persist(exec);
  }

  /** Sandboxes newest first, of one tenant or (with none) of all, in one state or any. */
  public List<Sandbox> list(Optional<String> tenant, SandboxState state, int limit) {
    StringBuilder jpql = new StringBuilder("SELECT s FROM Sandbox s WHERE 1 = 1");
    tenant.ifPresent(t -> jpql.append(" AND s.tenantId = :tenant"));
    if (state != null) {
      jpql.append(" AND s.state = :state");
    }
    jpql.append(" ORDER BY s.id DESC");
    TypedQuery<Sandbox> query = em.createQuery(jpql.toString(), Sandbox.class);
    tenant.ifPresent(t -> query.setParameter("tenant", t));
    if (state != null) {
      query.setParameter("state", state);
    }
    return query.setMaxResults(limit).getResultList();
  }

  /** This node's sandboxes that are not over. */
  public List<Sandbox> liveOn(String node) {
    return em.createQuery(
            "SELECT s FROM Sandbox s WHERE s.node = :node AND s.state <> :ended", Sandbox.class)
        .setParameter("node", node)
        .setParameter("ended", SandboxState.ENDED)
        .getResultList();
  }

  /** The latest execs of a sandbox, newest first. */
  public List<SandboxExec> execs(String sandbox, int limit) {
    return em.createQuery(
            "SELECT e FROM SandboxExec e WHERE e.sandboxId = :sandbox ORDER BY e.id DESC",
            SandboxExec.class)
        .setParameter("sandbox", sandbox)
        .setMaxResults(limit)
        .getResultList();
  }

  /** How many execs each of the sandboxes ran. */
  public java.util.Map<String, Long> countExecs(List<String> sandboxes) {
    java.util.Map<String, Long> counts = new java.util.HashMap<>();
    if (sandboxes.isEmpty()) {
      return counts;
    }
    em.createQuery(
            "SELECT e.sandboxId, COUNT(e) FROM SandboxExec e WHERE e.sandboxId IN :ids"
                + " GROUP BY e.sandboxId",
            Object[].class)
        .setParameter("ids", sandboxes)
        .getResultList()
        .forEach(row -> counts.put((String) row[0], (Long) row[1]));
    return counts;
  }

  public long countExecs(String sandbox) {
    return em.createQuery(
            "SELECT COUNT(e) FROM SandboxExec e WHERE e.sandboxId = :sandbox", Long.class)
        .setParameter("sandbox", sandbox)
        .getSingleResult();
  }

  /** Forgets sandboxes that ended before {@code before}, with their execs. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public int forgetEndedBefore(Instant before) {
    List<String> ids =
        em.createQuery(
                "SELECT s.id FROM Sandbox s WHERE s.state = :ended AND s.endedAt < :before",
                String.class)
            .setParameter("ended", SandboxState.ENDED)
            .setParameter("before", before)
            .setMaxResults(1000)
            .getResultList();
    if (ids.isEmpty()) {
      return 0;
    }
    em.createQuery("DELETE FROM SandboxExec e WHERE e.sandboxId IN :ids")
        .setParameter("ids", ids)
        .executeUpdate();
    return em.createQuery("DELETE FROM Sandbox s WHERE s.id IN :ids")
        .setParameter("ids", ids)
        .executeUpdate();
  }
}

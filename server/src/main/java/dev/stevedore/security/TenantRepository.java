package dev.stevedore.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * Storage of tenants. Plain data access in the caller's transaction: reads join it when there is
 * one ({@code SUPPORTS}), writes and the row lock need one ({@code MANDATORY}); the use case that
 * calls them is the transaction's boundary.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class TenantRepository {

  @PersistenceContext(unitName = "stevedore")
  EntityManager em;

  public Optional<Tenant> find(String id) {
    return Optional.ofNullable(em.find(Tenant.class, id));
  }

  /** Every tenant, by id. */
  public List<Tenant> list() {
    return em.createQuery("SELECT t FROM Tenant t ORDER BY t.id", Tenant.class).getResultList();
  }

  /** Each tenant's id and running quota (null: the server's default), in one read. */
  public List<Object[]> runningQuotas() {
    return em.createQuery("SELECT t.id, t.maxRunning FROM Tenant t", Object[].class)
        .getResultList();
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void insert(Tenant tenant) {
    em.persist(tenant);
  }

  /** The tenant, its row locked (for update) until the caller's transaction ends. */
  @Transactional(Transactional.TxType.MANDATORY)
  public Optional<Tenant> lock(String id) {
    return em.createQuery("SELECT t FROM Tenant t WHERE t.id = :id", Tenant.class)
        .setParameter("id", id)
        .setLockMode(LockModeType.PESSIMISTIC_WRITE)
        .getResultStream()
        .findFirst();
  }
}

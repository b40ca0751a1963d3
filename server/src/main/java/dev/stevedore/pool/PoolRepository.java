package dev.stevedore.pool;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/** Pool definitions. Reads join a transaction when there is one, writes need one. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class PoolRepository {

  @PersistenceContext(unitName = "stevedore")
  EntityManager em;

  public Optional<Pool> find(String name) {
    return Optional.ofNullable(em.find(Pool.class, name));
  }

  public List<Pool> all() {
    return em.createQuery("SELECT p FROM Pool p ORDER BY p.name", Pool.class).getResultList();
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void add(Pool pool) {
    em.persist(pool);
    em.flush(); // a duplicate name fails here, inside the caller's handling
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void remove(Pool pool) {
    em.remove(pool);
  }
}

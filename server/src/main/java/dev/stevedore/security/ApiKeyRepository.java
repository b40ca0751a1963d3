package dev.stevedore.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * Storage of API keys (their secrets' hashes, never the secrets). Plain data access in the caller's
 * transaction: reads join it when there is one ({@code SUPPORTS}; authentication reads without
 * one), writes need one ({@code MANDATORY}).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ApiKeyRepository {

  @PersistenceContext(unitName = "stevedore")
  EntityManager em;

  public Optional<ApiKey> find(String id) {
    return Optional.ofNullable(em.find(ApiKey.class, id));
  }

  /** The active keys whose secret has this hash (one, or none). */
  public List<ApiKey> activeByHash(String hash) {
    return em.createQuery(
            "SELECT k FROM ApiKey k WHERE k.secretHash = :hash AND k.revokedAt IS NULL",
            ApiKey.class)
        .setParameter("hash", hash)
        .getResultList();
  }

  /** Every key, oldest first. */
  public List<ApiKey> list() {
    return em.createQuery("SELECT k FROM ApiKey k ORDER BY k.createdAt", ApiKey.class)
        .getResultList();
  }

  /** Whether any key is not revoked. */
  public boolean anyActive() {
    return !em.createQuery("SELECT k.id FROM ApiKey k WHERE k.revokedAt IS NULL", String.class)
        .setMaxResults(1)
        .getResultList()
        .isEmpty();
  }

  @Transactional(Transactional.TxType.MANDATORY)
  public void insert(ApiKey key) {
    em.persist(key);
  }
}

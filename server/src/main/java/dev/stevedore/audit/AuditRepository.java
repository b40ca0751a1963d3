package dev.stevedore.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Storage of the audit log's entries. Plain data access in the caller's transaction: reads join it
 * when there is one ({@code SUPPORTS}), an insert needs one ({@code MANDATORY}).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class AuditRepository {

  @PersistenceContext(unitName = "stevedore")
  EntityManager em;

  @Transactional(Transactional.TxType.MANDATORY)
  public void insert(AuditEvent event) {
    em.persist(event);
  }

  /** Entries, newest first, filtered by time and actor (key id), each filter optional. */
  public List<AuditEvent> find(Instant since, Instant until, String actor, int limit) {
    List<String> conditions = new ArrayList<>();
    if (since != null) {
      conditions.add("e.at >= :since");
    }
    if (until != null) {
      conditions.add("e.at < :until");
    }
    if (actor != null) {
      conditions.add("e.actor = :actor");
    }
    String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    TypedQuery<AuditEvent> query =
        em.createQuery(
            "SELECT e FROM AuditEvent e" + where + " ORDER BY e.id DESC", AuditEvent.class);
    if (since != null) {
      query.setParameter("since", since);
    }
    if (until != null) {
      query.setParameter("until", until);
    }
    if (actor != null) {
      query.setParameter("actor", actor);
    }
    return query.setMaxResults(limit).getResultList();
  }
}

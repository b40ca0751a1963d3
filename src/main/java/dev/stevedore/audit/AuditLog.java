package dev.stevedore.audit;

import dev.stevedore.core.DomainException;
import dev.stevedore.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only audit log. Each entry is written in a transaction of its own, so a refused or
 * failed action is recorded as well as one that succeeded. Entries are written by the {@link
 * AuditInterceptor} around every {@link dev.stevedore.core.Audited} method.
 */
@ApplicationScoped
public class AuditLog {

  @PersistenceContext(unitName = "stevedore")
  EntityManager em;

  @Inject Caller caller;

  /** An entry as the API shows it. */
  public record Entry(
      long id,
      Instant at,
      String actor,
      String actorName,
      String tenant,
      String action,
      String target,
      String outcome,
      String clientAddress) {}

  /** Writes one entry for the current caller. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void append(String action, String target, String outcome) {
    em.persist(
        new AuditEvent(
            caller.keyId(),
            caller.keyName(),
            caller.tenantId(),
            action,
            target,
            outcome,
            caller.clientAddress()));
  }

  /** Entries, newest first, filtered by time and actor (key id). */
  @Transactional(Transactional.TxType.SUPPORTS)
  public List<Entry> find(Instant since, Instant until, String actor, int limit) {
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
    return query
        .setMaxResults(limit)
        .getResultStream()
        .map(
            e ->
                new Entry(
                    e.id(),
                    e.at(),
                    e.actor(),
                    e.actorName(),
                    e.tenantId(),
                    e.action(),
                    e.target(),
                    e.outcome(),
                    e.clientAddress()))
        .toList();
  }

  /** How an action that threw {@code e} ended: refused (a domain exception) or failed. */
  static String outcomeOf(Exception e) {
    return e instanceof DomainException ? "refused" : "failed";
  }
}

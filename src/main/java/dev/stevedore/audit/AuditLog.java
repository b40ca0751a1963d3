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
import java.util.function.Supplier;

/**
 * The append-only audit log. Each entry is written in a transaction of its own, so a refused or
 * failed action is recorded as well as one that succeeded.
 */
@ApplicationScoped
public class AuditLog {

  @PersistenceContext(unitName = "stevedore")
  EntityManager em;

  @Inject Caller caller;
  @Inject AuditLog self;

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

  /**
   * Runs {@code action} and records it with its outcome: {@code ok}, or the failure's kind.
   *
   * @param target what it acted on, such as a job id; may be filled in by the action's result
   */
  public <T> T record(String action, String target, Supplier<T> work) {
    try {
      T result = work.get();
      self.append(action, target, "ok");
      return result;
    } catch (RuntimeException e) {
      self.append(action, target, outcomeOf(e));
      throw e;
    }
  }

  /** Runs {@code work} and records it with the target its result names (a new job's id). */
  public <T> T record(
      String action, Supplier<T> work, java.util.function.Function<T, String> targetOf) {
    try {
      T result = work.get();
      self.append(action, targetOf.apply(result), "ok");
      return result;
    } catch (RuntimeException e) {
      self.append(action, null, outcomeOf(e));
      throw e;
    }
  }

  public void record(String action, String target, Runnable work) {
    record(
        action,
        target,
        () -> {
          work.run();
          return null;
        });
  }

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

  private static String outcomeOf(RuntimeException e) {
    return e instanceof DomainException ? "refused" : "failed";
  }
}

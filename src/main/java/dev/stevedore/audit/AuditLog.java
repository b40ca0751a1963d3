package dev.stevedore.audit;

import dev.stevedore.core.DomainException;
import dev.stevedore.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The append-only audit log. Each entry is written in a transaction of its own, so a refused or
 * failed action is recorded as well as one that succeeded.
 */
@ApplicationScoped
public class AuditLog {

  @Inject AuditRepository repository;

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

  /**
   * Writes one entry and commits it on its own ({@code REQUIRES_NEW}), whatever becomes of the
   * transaction of the action it records.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void append(String action, String target, String outcome) {
    repository.insert(
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
  @Transactional(dontRollbackOn = DomainException.class)
  public List<Entry> find(Instant since, Instant until, String actor, int limit) {
    return repository.find(since, until, actor, limit).stream()
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

package dev.stevedore.audit;

import dev.stevedore.core.DomainException;
import dev.stevedore.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * The append-only audit log. Each entry is written in a transaction of its own, so a refused or
 * failed action is recorded as well as one that succeeded. Entries are written by the {@link
 * AuditInterceptor} around every {@link dev.stevedore.core.Audited} method.
 */
@ApplicationScoped
public class AuditLog {

  @Inject AuditRepository repository;

  @Inject Caller caller;
  @Inject dev.stevedore.security.ApiKeyService keys;

  /**
   * Writes one entry for a caller known only by its key, outside an HTTP request (a command sent
   * over a WebSocket), in a transaction of its own.
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void appendFor(String keyId, String action, String target, String outcome) {
    var key = keys.byId(keyId);
    repository.insert(
        new AuditEvent(
            keyId,
            key.map(k -> k.name()).orElse(null),
            key.map(k -> k.tenant()).orElse(null),
            action,
            target,
            outcome,
            null));
  }

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
   * Writes one entry for the current caller and commits it on its own ({@code REQUIRES_NEW}),
   * whatever becomes of the transaction of the action it records.
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

  /** How an action that threw {@code e} ended: refused (a domain exception) or failed. */
  static String outcomeOf(Exception e) {
    return e instanceof DomainException ? "refused" : "failed";
  }
}

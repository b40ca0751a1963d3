package dev.stevedore.core;

/**
 * An answer that names what an action made or acted on, such as a new key: the server's audit log
 * records that name as the action's target.
 */
public interface AuditSubject {

  /** The audit entry's target: usually an id. */
  String auditTarget();
}

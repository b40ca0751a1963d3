/**
 * What every feature may use: ids, the node's identity, the exceptions that name what went wrong
 * (without HTTP: the REST layer's problem mapper turns them into answers), roles, log text and the
 * schedule of background tasks ({@link dev.stevedore.core.Schedules}) and the {@link
 * dev.stevedore.core.Audited} binding that marks an action for the audit log. Depends on no other
 * package of the application.
 */
package dev.stevedore.core;

/**
 * The composition root: the start-up sequence that brings the features up in order (migrations,
 * engine checks, reconciliation, dispatch) and reports through the startup health check when it is
 * done. Nothing depends on this package.
 */
package dev.stevedore.startup;

/**
 * What every feature may use: ids, the node's identity, the exceptions that name what went wrong
 * (without HTTP: the REST layer's problem mapper turns them into answers), roles and log text.
 * Depends on no other package of the application.
 */
package dev.stevedore.core;

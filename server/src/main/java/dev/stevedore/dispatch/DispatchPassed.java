package dev.stevedore.dispatch;

import java.time.Duration;

/**
 * A dispatch pass that read the queue: how long it took in all, how long its claims took (their
 * transactions in the database), and how many jobs it claimed.
 */
public record DispatchPassed(Duration pass, Duration claiming, int claimed) {}

package dev.stevedore.security;

/** A token bucket: {@code capacity} tokens, refilled at {@code perSecond}. */
final class TokenBucket {

  private final double capacity;
  private final double perSecond;
  private double tokens;
  private long last;
  private boolean started;

  TokenBucket(double capacity, double perSecond) {
    this.capacity = capacity;
    this.perSecond = perSecond;
    this.tokens = capacity;
  }

  /** Takes a token at time {@code nanos}: 0 if there was one, else the seconds until there is. */
  synchronized double take(long nanos) {
    if (started) {
      tokens = Math.min(capacity, tokens + (nanos - last) / 1e9 * perSecond);
    }
    started = true;
    last = nanos;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (1 - tokens) / perSecond;
  }
}

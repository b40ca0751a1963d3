package dev.stevedore.core;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * New ids for everything the application stores: UUIDs whose leading bits are the creation time in
 * milliseconds (the version 7 layout), so ids sort by age.
 */
public final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  /** A new id, in canonical lower-case UUID text. */
  public static String next() {
    long millis = System.currentTimeMillis();
    long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0fffL);
    long low = (RANDOM.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}

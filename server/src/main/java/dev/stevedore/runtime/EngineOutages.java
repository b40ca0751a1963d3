package dev.stevedore.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * When the engine could not be reached, as this server saw it: the recent outages, so that a
 * container that ended during one can be told from a container that failed on its own. The engine
 * stops its containers when it stops (unless it runs with live-restore), and restarts none.
 */
@ApplicationScoped
public class EngineOutages {

  /** A container ended this long before the server noticed the outage still counts as in it. */
  static final Duration BEFORE = Duration.ofSeconds(30);

  /** And this long after the engine answered again (the engine's clock may differ a little). */
  static final Duration AFTER = Duration.ofSeconds(5);

  private static final int KEPT = 16;

  private record Outage(Instant from, Instant to) {}

  private final Deque<Outage> past = new ArrayDeque<>();
  private Instant current;

  /** A call found the engine unreachable. */
  public synchronized void unreachable(Instant at) {
    if (current == null) {
      current = at;
    }
  }

  /** The engine answered. */
  public synchronized void answered(Instant at) {
    if (current != null) {
      past.addLast(new Outage(current, at));
      current = null;
      while (past.size() > KEPT) {
        past.removeFirst();
      }
    }
  }

  /**
   * Whether a container that ran from {@code started} to {@code finished} may have been ended by an
   * outage: it ended within one (with the margins above) and had started before the engine answered
   * again (when its start is known). A container started after an outage, which ends soon after it
   * with an error of its own, was not interrupted by it.
   */
  public synchronized boolean overlaps(Instant started, Instant finished) {
    if (finished == null) {
      return false;
    }
    if (current != null && !finished.isBefore(current.minus(BEFORE))) {
      return true;
    }
    for (Outage outage : past) {
      if (!finished.isBefore(outage.from().minus(BEFORE))
          && !finished.isAfter(outage.to().plus(AFTER))
          && (started == null || started.isBefore(outage.to()))) {
        return true;
      }
    }
    return false;
  }
}

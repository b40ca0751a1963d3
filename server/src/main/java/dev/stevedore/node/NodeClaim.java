package dev.stevedore.node;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a starting server may take its node name. Two live servers of one installation must never
 * share one: each would take the other's containers for its own. A name is free when nobody holds
 * it, when its holder's heartbeat is stale, or when the heartbeat stops moving while watched (the
 * holder crashed just before this start).
 */
final class NodeClaim {

  /** The instance a name's row names when its server gave it back on a clean shutdown. */
  static final String RELEASED = "released";

  /** The row of the {@code node} table for the name. */
  record Holder(String instanceId, Instant startedAt, Instant heartbeatAt) {}

  enum Verdict {
    /** The name is free: take it. */
    TAKE,
    /** A fresh heartbeat of another instance: watch whether it moves before deciding. */
    WATCH,
    /** Another live server holds the name: do not start. */
    REFUSE
  }

  private NodeClaim() {}

  /** The first look at the name's row. */
  static Verdict first(Optional<Holder> held, String me, Instant now, Duration staleAfter) {
    if (held.isEmpty()
        || held.get().instanceId().equals(me)
        || held.get().instanceId().equals(RELEASED)) {
      return Verdict.TAKE;
    }
    return held.get().heartbeatAt().plus(staleAfter).isBefore(now) ? Verdict.TAKE : Verdict.WATCH;
  }

  /** After watching the row for longer than a heartbeat interval. */
  static Verdict afterWatching(Holder before, Optional<Holder> after) {
    if (after.isEmpty() || after.get().instanceId().equals(RELEASED)) {
      return Verdict.TAKE; // released by a clean shutdown meanwhile
    }
    if (!after.get().instanceId().equals(before.instanceId())) {
      return Verdict.REFUSE; // another server took it meanwhile: it is alive
    }
    return after.get().heartbeatAt().isAfter(before.heartbeatAt()) ? Verdict.REFUSE : Verdict.TAKE;
  }
}

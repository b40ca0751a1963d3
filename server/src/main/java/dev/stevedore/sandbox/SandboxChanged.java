package dev.stevedore.sandbox;

import java.time.Instant;

/** A sandbox was made ready or ended: heard by the event streams and the metrics. */
public record SandboxChanged(
    String sandbox, String tenant, SandboxState state, String reason, String node, Instant at) {

  static SandboxChanged of(Sandbox s) {
    return new SandboxChanged(
        s.id(),
        s.tenantId(),
        s.state(),
        s.endReason(),
        s.node(),
        s.state() == SandboxState.ENDED ? s.endedAt() : s.readyAt());
  }
}

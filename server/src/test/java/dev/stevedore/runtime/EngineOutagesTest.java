package dev.stevedore.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EngineOutagesTest {

  private static final Instant T = Instant.parse("2026-01-01T12:00:00Z");

  @Test
  void anExitDuringAnOutageOverlapsIt() {
    EngineOutages outages = new EngineOutages();
    outages.unreachable(T);
    outages.answered(T.plusSeconds(60));
    assertTrue(outages.overlaps(null, T.plusSeconds(59)), "killed when the engine came back");
    assertTrue(outages.overlaps(null, T.minusSeconds(10)), "killed as the engine stopped");
    assertFalse(outages.overlaps(null, T.minusSeconds(120)), "long before");
    assertFalse(outages.overlaps(null, T.plusSeconds(120)), "long after");
    assertFalse(outages.overlaps(null, null));
  }

  @Test
  void anOngoingOutageOverlapsEverythingSinceItBegan() {
    EngineOutages outages = new EngineOutages();
    outages.unreachable(T);
    outages.unreachable(T.plusSeconds(30)); // still the same outage
    assertTrue(outages.overlaps(null, T.plusSeconds(3600)));
    assertFalse(outages.overlaps(null, T.minusSeconds(120)));
  }

  @Test
  void noOutageNoOverlap() {
    EngineOutages outages = new EngineOutages();
    outages.answered(T);
    assertFalse(outages.overlaps(null, T));
  }

  @Test
  void aContainerStartedAfterTheOutageWasNotInterruptedByIt() {
    EngineOutages outages = new EngineOutages();
    outages.unreachable(T);
    outages.answered(T.plusSeconds(60));

    assertTrue(
        outages.overlaps(T.minusSeconds(5), T.plusSeconds(61)),
        "ran through it, killed at its end");
    assertFalse(
        outages.overlaps(T.plusSeconds(61), T.plusSeconds(63)),
        "started once the engine was back: its exit code is its own");
  }
}

package dev.stevedore.node;

import static dev.stevedore.node.NodeClaim.Verdict.REFUSE;
import static dev.stevedore.node.NodeClaim.Verdict.TAKE;
import static dev.stevedore.node.NodeClaim.Verdict.WATCH;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeClaimTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Duration STALE = Duration.ofSeconds(15);

  private static NodeClaim.Holder holder(String instance, Instant heartbeat) {
    return new NodeClaim.Holder(instance, NOW.minusSeconds(3600), heartbeat);
  }

  @Test
  void aFreeNameIsTaken() {
    assertEquals(TAKE, NodeClaim.first(Optional.empty(), "me", NOW, STALE));
  }

  @Test
  void aStaleHolderIsReplaced() {
    var held = holder("other", NOW.minusSeconds(16));
    assertEquals(TAKE, NodeClaim.first(Optional.of(held), "me", NOW, STALE));
  }

  @Test
  void aFreshHolderIsWatchedFirst() {
    var held = holder("other", NOW.minusSeconds(2));
    assertEquals(WATCH, NodeClaim.first(Optional.of(held), "me", NOW, STALE));
  }

  @Test
  void aLiveHolderMakesTheServerRefuseToStart() {
    var before = holder("other", NOW.minusSeconds(2));
    var after = holder("other", NOW.plusSeconds(5));
    assertEquals(REFUSE, NodeClaim.afterWatching(before, Optional.of(after)));
  }

  @Test
  void aHolderThatCrashedJustBeforeIsReplaced() {
    var before = holder("other", NOW.minusSeconds(2));
    assertEquals(TAKE, NodeClaim.afterWatching(before, Optional.of(before)));
  }

  @Test
  void aNameReleasedMeanwhileIsTaken() {
    var before = holder("other", NOW.minusSeconds(2));
    assertEquals(TAKE, NodeClaim.afterWatching(before, Optional.empty()));
  }

  @Test
  void aNameTakenByAThirdServerMeanwhileIsRefused() {
    var before = holder("other", NOW.minusSeconds(2));
    var after = holder("third", NOW.minusSeconds(1));
    assertEquals(REFUSE, NodeClaim.afterWatching(before, Optional.of(after)));
  }

  @Test
  void itsOwnRowIsItsOwn() {
    var held = holder("me", NOW.minusSeconds(1));
    assertEquals(TAKE, NodeClaim.first(Optional.of(held), "me", NOW, STALE));
  }
}

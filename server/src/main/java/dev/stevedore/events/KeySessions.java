package dev.stevedore.events;

import dev.stevedore.core.Schedules;
import dev.stevedore.security.ApiKeyService;
import dev.stevedore.security.KeyRevoked;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The open WebSocket sessions by the key they were opened with, so that revoking a key ends its
 * streams: each is closed with 1008 and the reason {@value #REVOKED}. On the node that revokes the
 * key this happens at once; a key revoked on another node is found by a check every {@value
 * #SWEEP_SECONDS} seconds (as soon as this node's key cache lets the revocation through).
 */
@ApplicationScoped
public class KeySessions {

  static final String REVOKED = "key revoked";
  static final int SWEEP_SECONDS = 5;
  private static final String KEY = "stevedore.key";
  private static final Logger LOG = Logger.getLogger(KeySessions.class.getName());

  @Inject ApiKeyService keys;
  @Inject Schedules schedules;

  private final Map<String, Set<Session>> byKey = new ConcurrentHashMap<>();
  private Schedules.Task sweeper;

  void opened(String keyId, Session session) {
    session.getUserProperties().put(KEY, keyId);
    byKey.computeIfAbsent(keyId, k -> ConcurrentHashMap.newKeySet()).add(session);
    startSweeping();
  }

  void closed(Session session) {
    if (session.getUserProperties().get(KEY) instanceof String keyId) {
      byKey.computeIfPresent(
          keyId,
          (k, sessions) -> {
            sessions.remove(session);
            return sessions.isEmpty() ? null : sessions;
          });
    }
  }

  void onRevoked(@Observes(during = TransactionPhase.AFTER_SUCCESS) KeyRevoked revoked) {
    closeAll(revoked.keyId());
  }

  private void closeAll(String keyId) {
    Set<Session> sessions = byKey.remove(keyId);
    if (sessions == null) {
      return;
    }
    CloseReason reason = new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, REVOKED);
    for (Session session : sessions) {
      try {
        if (session.isOpen()) {
          session.close(reason);
        }
      } catch (IOException | RuntimeException e) {
        // Gone already.
      }
    }
  }

  private synchronized void startSweeping() {
    if (sweeper == null) {
      Duration every = Duration.ofSeconds(SWEEP_SECONDS);
      sweeper =
          schedules.withFixedDelay(
              "Closing the streams of keys revoked elsewhere", every, every, this::sweep);
    }
  }

  /** Closes the streams of keys revoked elsewhere. */
  private void sweep() {
    try {
      for (String keyId : List.copyOf(byKey.keySet())) {
        if (keys.byId(keyId).map(k -> k.revokedAt() != null).orElse(true)) {
          closeAll(keyId);
        }
      }
    } catch (RuntimeException e) {
      LOG.warning("Could not check the keys of open streams; trying again: " + e);
    }
  }
}

package dev.stevedore.events;

import dev.stevedore.security.KeyRevoked;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open WebSocket sessions by the key they were opened with, so that revoking a key ends its
 * streams at once: each is closed with 1008 and the reason {@value #REVOKED}.
 */
@ApplicationScoped
public class KeySessions {

  static final String REVOKED = "key revoked";
  private static final String KEY = "stevedore.key";

  private final Map<String, Set<Session>> byKey = new ConcurrentHashMap<>();

  void opened(String keyId, Session session) {
    session.getUserProperties().put(KEY, keyId);
    byKey.computeIfAbsent(keyId, k -> ConcurrentHashMap.newKeySet()).add(session);
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
    Set<Session> sessions = byKey.remove(revoked.keyId());
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
}

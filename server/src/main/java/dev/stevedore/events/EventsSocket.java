package dev.stevedore.events;

import dev.stevedore.security.Tickets;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /ws/events?ticket=…[&job=<id>…]} (or with {@code Authorization: Bearer <key>} instead of a
 * ticket): every state change of the ticket's tenant's jobs (every tenant's for an administrator),
 * optionally only of the given jobs, as it happens, until the key is revoked.
 */
@Dependent // a bean, so that the server injects it; one instance per connection
@ServerEndpoint("/ws/events")
public class EventsSocket {

  private static final String OUTBOX = "outbox";

  @Inject Tickets tickets;
  @Inject StreamHub hub;
  @Inject KeySessions keySessions;

  @OnOpen
  public void open(Session session) throws IOException {
    Optional<Tickets.Access> access = TicketFilter.access(tickets, session);
    if (access.isEmpty()) {
      session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "no access"));
      return;
    }
    keySessions.opened(access.get().keyId(), session);
    Outbox outbox = new Outbox(session, hub.maxPending());
    session.getUserProperties().put(OUTBOX, outbox);
    List<String> jobs = session.getRequestParameterMap().getOrDefault("job", List.of());
    hub.listen(new StreamHub.EventListener(outbox, access.get().tenantScope(), Set.copyOf(jobs)));
  }

  @OnClose
  public void close(Session session) {
    keySessions.closed(session);
    if (session.getUserProperties().get(OUTBOX) instanceof Outbox outbox) {
      hub.stopListening(outbox);
    }
  }

  @OnError
  public void error(Session session, Throwable failure) {
    // A broken connection is normal; @OnClose follows and cleans up. Anything else is ours.
    if (!(failure instanceof java.io.IOException)) {
      java.util.logging.Logger.getLogger(getClass().getName())
          .log(java.util.logging.Level.WARNING, "WebSocket failure", failure);
    }
  }
}

package dev.stevedore.events;

import dev.stevedore.core.DomainException;
import dev.stevedore.runtime.ContainerRuntimeException;
import dev.stevedore.runtime.LogSink;
import dev.stevedore.sandbox.ExecEvent;
import dev.stevedore.sandbox.ExecRequest;
import dev.stevedore.sandbox.SandboxService;
import dev.stevedore.security.Tickets;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /ws/sandboxes/{id}/exec?ticket=…}: the client sends one message, the command as {@code
 * POST /api/v1/sandboxes/{id}/exec} takes it; the server answers with the command's output as it
 * comes, one JSON message per line ({@code type} stdout or stderr, {@code text}), then one of
 * {@code type} exit (or error), then a normal close. Closing the stream early does not end the
 * command: its timeout does. {@link TicketFilter} refuses the handshake without a valid ticket of a
 * submitter, or for a sandbox the ticket's tenant cannot see.
 */
@Dependent // a bean, so that the server injects it; one instance per connection
@ServerEndpoint("/ws/sandboxes/{id}/exec")
public class SandboxExecSocket {

  private static final String OUTBOX = "outbox";
  private static final String SCOPE = "scope";
  private static final String KEY = "key";
  private static final Jsonb JSON = JsonbBuilder.create();

  @Inject Tickets tickets;
  @Inject SandboxService sandboxes;
  @Inject StreamHub hub;
  @Inject KeySessions keySessions;
  @Inject dev.stevedore.audit.AuditLog audit;

  @Resource ManagedExecutorService executor;

  @OnOpen
  public void open(Session session, @PathParam("id") String id) throws IOException {
    Optional<Tickets.Access> access = TicketFilter.access(tickets, session);
    if (access.isEmpty()
        || !access.get().role().includes(dev.stevedore.core.Role.SUBMITTER)
        || !sandboxes.isVisible(id, access.get().tenantScope())) {
      session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "no access"));
      return;
    }
    keySessions.opened(access.get().keyId(), session);
    session.getUserProperties().put(OUTBOX, new Outbox(session, hub.maxPending()));
    session.getUserProperties().put(SCOPE, access.get().tenantScope());
    session.getUserProperties().put(KEY, access.get().keyId());
  }

  @OnMessage
  public void command(Session session, @PathParam("id") String id, String message) {
    if (!(session.getUserProperties().remove(OUTBOX) instanceof Outbox outbox)) {
      return; // one command per stream: it runs already
    }
    @SuppressWarnings("unchecked")
    Optional<String> scope = (Optional<String>) session.getUserProperties().get(SCOPE);
    String key = (String) session.getUserProperties().get(KEY);
    SandboxService.PreparedExec prepared;
    try {
      prepared = sandboxes.prepareExec(id, JSON.fromJson(message, ExecRequest.class), scope);
    } catch (JsonbException e) {
      audit.appendFor(key, "sandbox.exec", id, "refused");
      fail(outbox, "The message is not a command as JSON: " + e.getMessage());
      return;
    } catch (DomainException e) {
      audit.appendFor(key, "sandbox.exec", id, "refused");
      fail(outbox, e.getMessage());
      return;
    }
    audit.appendFor(key, "sandbox.exec", id, "ok");
    LogSink sink =
        (stream, time, text) ->
            outbox.offer(
                JSON.toJson(new ExecEvent.Line(stream.name().toLowerCase(Locale.ROOT), text)));
    executor.execute(
        () -> {
          try {
            outbox.offer(JSON.toJson(ExecEvent.Exit.of(sandboxes.run(prepared, sink))));
            outbox.finish(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "ended"));
          } catch (DomainException | ContainerRuntimeException e) {
            fail(outbox, e.getMessage());
          }
        });
  }

  private static void fail(Outbox outbox, String detail) {
    outbox.offer(JSON.toJson(new ExecEvent.Failure("error", detail)));
    outbox.finish(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "failed"));
  }

  @OnClose
  public void close(Session session) {
    keySessions.closed(session);
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

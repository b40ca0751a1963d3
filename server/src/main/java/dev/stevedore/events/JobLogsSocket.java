package dev.stevedore.events;

import dev.stevedore.core.JobId;
import dev.stevedore.job.Job;
import dev.stevedore.job.JobRepository;
import dev.stevedore.logs.JobLogs;
import dev.stevedore.security.Tickets;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * {@code /ws/jobs/{id}/logs?ticket=…}: the job's stored output, then its live output, one JSON
 * message per line ({@code type}, {@code attempt}, {@code seq}, {@code stream}, {@code time},
 * {@code text}); when the job has ended, a last {@code end} message with its state, then a normal
 * close. {@link TicketFilter} refuses the handshake without a valid ticket, or for a job the
 * ticket's tenant cannot see.
 */
@Dependent // a bean, so that the server injects it; one instance per connection
@ServerEndpoint("/ws/jobs/{id}/logs")
public class JobLogsSocket {

  private static final String FOLLOWER = "follower";

  @Inject Tickets tickets;
  @Inject JobRepository jobs;
  @Inject JobLogs logs;
  @Inject StreamHub hub;
  @Inject KeySessions keySessions;

  @OnOpen
  public void open(Session session, @PathParam("id") String id) throws IOException {
    Optional<Tickets.Access> access = TicketFilter.access(tickets, session);
    JobId jobId = TicketFilter.jobId(id);
    Optional<Job> job =
        access.isEmpty() || jobId == null
            ? Optional.empty()
            : jobs.find(jobId, access.get().tenantScope());
    if (job.isEmpty()) {
      session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "no access"));
      return;
    }
    keySessions.opened(access.get().keyId(), session);
    LogFollower follower = new LogFollower(new Outbox(session, hub.maxPending()));
    session.getUserProperties().put(FOLLOWER, follower);
    hub.followLogs(jobId, follower);
    int attempt = jobs.find(jobId).map(Job::attempt).orElse(job.get().attempt());
    List<dev.stevedore.logs.LogLine> stored = logs.lines(jobId, attempt);
    follower.replay(stored);
    hub.endIfFinished(jobId, follower);
  }

  @OnClose
  public void close(Session session, @PathParam("id") String id) {
    keySessions.closed(session);
    Object follower = session.getUserProperties().get(FOLLOWER);
    JobId jobId = TicketFilter.jobId(id);
    if (follower instanceof LogFollower f && jobId != null) {
      hub.unfollowLogs(jobId, f);
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

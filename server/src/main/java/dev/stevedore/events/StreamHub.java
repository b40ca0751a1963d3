package dev.stevedore.events;

import dev.stevedore.core.JobId;
import dev.stevedore.job.JobRepository;
import dev.stevedore.job.JobStateChanged;
import dev.stevedore.logs.LiveLogs;
import dev.stevedore.pool.PoolChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The open WebSocket streams: log followers per job, and event listeners with their tenant scope.
 * It hears every state change after its commit: it tells event listeners, and ends the log streams
 * of a job that has ended for good (not one a retry sent back to the queue).
 */
@ApplicationScoped
public class StreamHub {

  private static final java.time.Duration TAIL_EVERY = java.time.Duration.ofMillis(500);

  @Inject LiveLogs live;
  @Inject JobRepository jobs;
  @Inject dev.stevedore.logs.JobLogs logs;
  @Inject dev.stevedore.dispatch.Dispatcher dispatcher;
  @Inject dev.stevedore.core.NodeIdentity node;
  @Inject dev.stevedore.core.Schedules schedules;

  @Inject
  @ConfigProperty(name = "stevedore.streams.max-pending-messages")
  int maxPending;

  private final Map<JobId, Set<LogFollower>> logFollowers = new ConcurrentHashMap<>();
  private final Set<EventListener> eventListeners = ConcurrentHashMap.newKeySet();

  /** Someone listening to state changes of a tenant (all tenants when the scope is empty). */
  record EventListener(Outbox outbox, Optional<String> tenantScope, Set<String> jobs) {}

  int maxPending() {
    return maxPending;
  }

  void followLogs(JobId job, LogFollower follower) {
    logFollowers.computeIfAbsent(job, k -> ConcurrentHashMap.newKeySet()).add(follower);
    live.follow(job, follower);
  }

  void unfollowLogs(JobId job, LogFollower follower) {
    live.unfollow(job, follower);
    logFollowers.computeIfPresent(
        job,
        (k, set) -> {
          set.remove(follower);
          return set.isEmpty() ? null : set;
        });
  }

  void listen(EventListener listener) {
    eventListeners.add(listener);
  }

  void stopListening(Outbox outbox) {
    eventListeners.removeIf(l -> l.outbox() == outbox);
  }

  /** Follows the log streams of jobs that run on other nodes: see {@link #tailElsewhere}. */
  public void start() {
    schedules.withFixedDelay(
        "Logs of jobs on other nodes", TAIL_EVERY, TAIL_EVERY, this::tailElsewhere);
  }

  /**
   * Passes on to the followers of a job that no runner of this node watches what its node stored of
   * its output since (on the data directory the nodes share), and ends their streams once it has
   * ended: its runner on another node publishes its lines there, not here. One read of the job per
   * followed job and pass; a job that runs here costs nothing.
   */
  void tailElsewhere() {
    for (Map.Entry<JobId, Set<LogFollower>> followed : logFollowers.entrySet()) {
      JobId id = followed.getKey();
      if (dispatcher.isInFlight(id)) {
        continue; // its lines come live
      }
      jobs.find(id)
          .ifPresent(
              job -> {
                boolean elsewhere = job.node() != null && !job.node().equals(node.name());
                if (!elsewhere && !job.state().isFinished()) {
                  return; // queued, or about to start here
                }
                for (LogFollower follower : followed.getValue()) {
                  for (int attempt = Math.max(1, follower.lastAttempt());
                      attempt <= job.attempt();
                      attempt++) {
                    logs.lines(id, attempt).forEach(follower::line);
                  }
                  if (job.state().isFinished()) {
                    end(
                        new Messages.End(
                            id.value(), job.state(), job.attempt(), job.exitCode(), job.reason()),
                        follower);
                  }
                }
              });
    }
  }

  /** Ends a follower's stream if the job has ended for good: the final state, then a close. */
  void endIfFinished(JobId id, LogFollower follower) {
    jobs.find(id)
        .filter(job -> job.state().isFinished())
        .ifPresent(
            job ->
                end(
                    new Messages.End(
                        job.id().value(), job.state(), job.attempt(), job.exitCode(), job.reason()),
                    follower));
  }

  private static void end(Messages.End end, LogFollower follower) {
    if (!follower.markEnded()) {
      return;
    }
    follower.outbox().offer(Messages.json(end));
    follower.outbox().finish(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "job ended"));
  }

  /** Whether anyone listens to the tenant's events without following single jobs. */
  public boolean hasEventListeners(String tenant) {
    return eventListeners.stream().anyMatch(l -> hearsAll(l, tenant));
  }

  /** Sends a message to the tenant's event listeners that follow no single job. */
  public void broadcast(String tenant, Object message) {
    String json = Messages.json(message);
    for (EventListener listener : eventListeners) {
      if (hearsAll(listener, tenant)) {
        listener.outbox().offer(json);
      }
    }
  }

  private static boolean hearsAll(EventListener listener, String tenant) {
    return listener.jobs().isEmpty() && listener.tenantScope().map(tenant::equals).orElse(true);
  }

  /** A pool's containers changed: heard by administrators and the tenants that may use it. */
  void onPoolChange(@Observes PoolChanged change) {
    String message = null; // made only for a listener: several changes come with every pooled job
    for (EventListener listener : eventListeners) {
      if (listener.jobs().isEmpty() && listener.tenantScope().map(change::visibleTo).orElse(true)) {
        if (message == null) {
          message =
              Messages.json(
                  new Messages.PoolEvent(
                      "pool",
                      change.pool(),
                      change.node(),
                      change.event(),
                      change.warm(),
                      change.busy(),
                      change.starting()));
        }
        listener.outbox().offer(message);
      }
    }
  }

  void onSandboxChange(
      @Observes(during = TransactionPhase.AFTER_SUCCESS)
          dev.stevedore.sandbox.SandboxChanged change) {
    tell(change);
  }

  /** Tells the listeners of a sandbox's change, made on this node or another. */
  void tell(dev.stevedore.sandbox.SandboxChanged change) {
    if (hasEventListeners(change.tenant())) {
      broadcast(
          change.tenant(),
          new Messages.SandboxEvent(
              "sandbox",
              change.sandbox(),
              change.tenant(),
              change.state().name(),
              change.reason(),
              change.node(),
              change.at()));
    }
  }

  void onSandboxExec(@Observes dev.stevedore.sandbox.SandboxExecuted exec) {
    if (hasEventListeners(exec.tenant())) {
      broadcast(
          exec.tenant(),
          new Messages.SandboxExecEvent(
              "exec",
              exec.sandbox(),
              exec.exec(),
              exec.exitCode(),
              exec.timedOut(),
              exec.durationMs()));
    }
  }

  void onStateChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobStateChanged change) {
    tell(change);
  }

  /**
   * Tells the listeners of a job's state change, made on this node or another, and ends the log
   * streams of a job that has ended for good.
   */
  void tell(JobStateChanged change) {
    String message =
        Messages.json(
            new Messages.StateChange(
                "job",
                change.jobId().value(),
                change.tenant(),
                change.from(),
                change.to(),
                change.attempt(),
                change.exitCode(),
                change.reason(),
                change.at()));
    for (EventListener listener : eventListeners) {
      boolean tenantOk = listener.tenantScope().map(change.tenant()::equals).orElse(true);
      boolean jobOk = listener.jobs().isEmpty() || listener.jobs().contains(change.jobId().value());
      if (tenantOk && jobOk) {
        listener.outbox().offer(message);
      }
    }
    if (change.terminal()) { // the event says all the end message needs: no read per follower
      Set<LogFollower> followers = logFollowers.get(change.jobId());
      if (followers != null) {
        Messages.End end =
            new Messages.End(
                change.jobId().value(),
                change.to(),
                change.attempt(),
                change.exitCode(),
                change.reason());
        for (LogFollower follower : followers) {
          end(end, follower);
        }
      }
    }
  }
}

package dev.stevedore.events;

import dev.stevedore.logs.LiveLogs;
import dev.stevedore.logs.LogLine;
import java.util.ArrayList;
import java.util.List;

/**
 * One WebSocket client's view of a job's output. Lines that arrive while the stored log is replayed
 * are held back and passed on afterwards, skipping those the replay already sent, so the client
 * sees every line once, in order, across the switch from replay to live.
 */
final class LogFollower implements LiveLogs.Follower {

  private final Outbox outbox;
  private final java.util.concurrent.atomic.AtomicBoolean ended =
      new java.util.concurrent.atomic.AtomicBoolean();
  private List<LogLine> heldBack = new ArrayList<>();

  /** The last line sent. */
  private int replayedAttempt;

  private long replayedSeq;

  LogFollower(Outbox outbox) {
    this.outbox = outbox;
  }

  @Override
  public synchronized void line(LogLine line) {
    if (heldBack != null) {
      heldBack.add(line);
    } else {
      send(line);
    }
  }

  /** The stored lines, sent before anything live. */
  synchronized void replay(List<LogLine> stored) {
    for (LogLine line : stored) {
      send(line);
    }
    for (LogLine line : heldBack) {
      send(line);
    }
    heldBack = null;
  }

  /** Sends a line unless the client has it already: each (attempt, seq) once, in order. */
  private void send(LogLine line) {
    boolean newer =
        line.attempt() > replayedAttempt
            || (line.attempt() == replayedAttempt && line.seq() > replayedSeq);
    if (newer) {
      outbox.offer(Messages.json(Messages.Line.of(line)));
      replayedAttempt = line.attempt();
      replayedSeq = line.seq();
    }
  }

  /** The attempt of the last line sent (0 before any). */
  synchronized int lastAttempt() {
    return replayedAttempt;
  }

  /** True the first time only: a stream ends once. */
  boolean markEnded() {
    return ended.compareAndSet(false, true);
  }

  Outbox outbox() {
    return outbox;
  }
}

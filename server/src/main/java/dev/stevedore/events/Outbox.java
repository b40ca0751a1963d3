package dev.stevedore.events;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The messages waiting for one WebSocket client, sent one at a time without blocking whoever offers
 * them. A client that falls more than {@code limit} messages behind is closed with 1008 and a
 * reason that says so: it can reconnect and replay from the stored log. So a slow client never
 * slows the job, the log store or other clients.
 */
final class Outbox {

  static final String TOO_SLOW = "client too slow: reconnect to replay";

  private final Session session;
  private final int limit;
  private final Queue<String> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicBoolean sending = new AtomicBoolean();
  private volatile boolean closing;
  private volatile CloseReason closeAfterwards;

  Outbox(Session session, int limit) {
    this.session = session;
    this.limit = limit;
  }

  void offer(String message) {
    if (closing) {
      return;
    }
    if (size.incrementAndGet() > limit) {
      closing = true;
      queue.clear();
      close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, TOO_SLOW));
      return;
    }
    queue.add(message);
    pump();
  }

  /** Sends what is queued, then closes normally. */
  void finish(CloseReason reason) {
    closeAfterwards = reason;
    pump();
  }

  private void pump() {
    if (!sending.compareAndSet(false, true)) {
      return; // the send in flight pumps again when it completes
    }
    String next = queue.poll();
    if (next == null) {
      sending.set(false);
      if (!queue.isEmpty()) {
        pump(); // offered between the poll and now
      } else if (closeAfterwards != null && !closing) {
        closing = true;
        close(closeAfterwards);
      }
      return;
    }
    size.decrementAndGet();
    try {
      session
          .getAsyncRemote()
          .sendText(
              next,
              result -> {
                sending.set(false);
                if (result.isOK()) {
                  pump();
                } else {
                  closing = true;
                }
              });
    } catch (RuntimeException e) {
      sending.set(false);
      closing = true;
    }
  }

  private void close(CloseReason reason) {
    try {
      if (session.isOpen()) {
        session.close(reason);
      }
    } catch (IOException e) {
      // Gone already.
    }
  }
}

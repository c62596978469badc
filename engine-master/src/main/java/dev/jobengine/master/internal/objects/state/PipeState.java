package dev.jobengine.master.internal.objects.state;

import dev.jobengine.PipeClosedException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A pipe (Python's {@code Pipe()}): two ends, 0 and 1; what is sent through one end is received,
 * in order, at the other. Unbounded: a send never waits.
 *
 * <p>An end belongs to the sessions that used it (sent, received or polled through it). A session
 * that closes an end may not use it again. Once every session that used an end has closed it or
 * ended, the end is closed for good: nobody may send through it, and the other end receives what
 * was sent before and then fails with {@link PipeClosedException} instead of waiting (so do the
 * receives already waiting there); a poll there is ready at once, and a send from there fails
 * with {@link PipeClosedException} (nobody could receive it). Closing an end one never used only
 * bars one's own later use.
 *
 * <p>Timeouts: the caller cancels a receive's future, which withdraws it; an item granted to a
 * receive whose caller cancelled in time goes back to the front. A session ending cancels its
 * waiting receives and polls. Thread-safe; guarded by its own monitor.
 */
public final class PipeState implements SessionScoped {
  /** One end: who holds it, and what arrived at it from the other end. */
  private final class End {
    final int index;
    final Set<Long> holders = new HashSet<>();
    final Set<Long> closedBy = new HashSet<>();
    boolean everHeld;
    boolean closed;
    final ArrayDeque<Object> inbox = new ArrayDeque<>();
    final WaitQueue<Object> receivers = new WaitQueue<>(PipeState.this);
    final WaitQueue<Boolean> pollers = new WaitQueue<>(PipeState.this);

    End(int index) {
      this.index = index;
    }

    String describe() {
      return (index == 0 ? "the left end of " : "the right end of ") + name;
    }
  }

  private final String name;
  private final End[] ends = {new End(0), new End(1)};

  /** A pipe called {@code name} in messages (say, {@code pipe 'jobs'}). */
  public PipeState(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  /**
   * Sends {@code item} through {@code end} to the other end.
   *
   * @throws IllegalStateException if {@code session} closed this end, or the end is closed for good
   * @throws PipeClosedException if the other end is closed for good (Python's broken pipe)
   */
  public void send(long session, int end, Object item) {
    Objects.requireNonNull(item, "item");
    Completions.decide(this, completions -> {
      End from = use(session, end);
      End to = ends[1 - from.index];
      if (to.closed) {
        throw new PipeClosedException(to.describe() + " is closed: nothing sent to it can be received");
      }
      Waiter<Object> receiver = to.receivers.poll();
      if (receiver != null) {
        grantReceive(to, receiver.future, item, completions);
      } else {
        to.inbox.addLast(item);
      }
      to.pollers.grantAll(true, completions);
    });
  }

  /**
   * Receives at {@code end} the next item sent from the other end: the future completes with it (at
   * once if one is there), or fails with {@link PipeClosedException} once the other end is closed
   * and everything it sent was received. Cancelling the pending future withdraws the receive.
   *
   * @throws IllegalStateException if {@code session} closed this end, or the end is closed for good
   */
  public CompletableFuture<Object> receive(long session, int end) {
    return receive(session, end, new CompletableFuture<>());
  }

  /** {@link #receive(long, int)} completing the caller's {@code future}; returns it. */
  public CompletableFuture<Object> receive(long session, int end, CompletableFuture<Object> future) {
    End at = end(end);
    return at.receivers.await(session, future, completions -> {
      use(session, end);
      if (!at.inbox.isEmpty()) {
        grantReceive(at, future, at.inbox.pollFirst(), completions);
        return true;
      }
      if (ends[1 - at.index].closed) {
        completions.fail(future, closedPeer(at));
        return true;
      }
      return false;
    });
  }

  /**
   * Whether a receive at {@code end} would not wait: the future completes with true as soon as an
   * item is there or the other end is closed (at once if so). Cancelling it withdraws the poll
   * (the caller then answers false). Consumes nothing.
   *
   * @throws IllegalStateException if {@code session} closed this end, or the end is closed for good
   */
  public CompletableFuture<Boolean> poll(long session, int end, CompletableFuture<Boolean> future) {
    End at = end(end);
    return at.pollers.await(session, future, completions -> {
      use(session, end);
      boolean ready = !at.inbox.isEmpty() || ends[1 - at.index].closed;
      if (ready) {
        completions.grant(future, true, null);
      }
      return ready;
    });
  }

  /**
   * {@code session} is done with {@code end}: it may not use it again, and its receives and polls
   * waiting there fail or answer at once. If nobody else holds the end, it is closed for good.
   * Idempotent.
   */
  public void close(long session, int end) {
    Completions.decide(this, completions -> {
      End at = end(end);
      at.closedBy.add(session);
      failWaiters(at, session, completions);
      release(at, session, completions);
    });
  }

  /** A receive granted to {@code item} could not be delivered: it goes back to the front of {@code end}. */
  public void giveBack(int end, Object item) {
    Completions.decide(this, completions -> {
      End at = end(end);
      Waiter<Object> receiver = at.receivers.poll();
      if (receiver != null) {
        grantReceive(at, receiver.future, item, completions);
      } else {
        at.inbox.addFirst(item);
      }
    });
  }

  /** Whether {@code end} is closed for good. */
  public synchronized boolean isClosed(int end) {
    return end(end).closed;
  }

  /** Items that arrived at {@code end} and were not received yet. */
  public synchronized int pending(int end) {
    return end(end).inbox.size();
  }

  /** Waiting receives and polls, at both ends. */
  public synchronized int waiters() {
    int n = 0;
    for (End e : ends) {
      n += e.receivers.size() + e.pollers.size();
    }
    return n;
  }

  /** The session's waiting receives and polls are cancelled; it holds neither end any more. */
  @Override
  public void sessionEnded(long session) {
    Completions.decide(this, completions -> {
      for (End at : ends) {
        at.receivers.cancelSession(session, completions);
        at.pollers.cancelSession(session, completions);
      }
      for (End at : ends) {
        release(at, session, completions);
      }
    });
  }

  private End end(int end) {
    if (end != 0 && end != 1) {
      throw new IllegalArgumentException("a pipe has ends 0 and 1, not " + end);
    }
    return ends[end];
  }

  /** Under the monitor: {@code session} uses {@code end}, and so holds it. */
  private End use(long session, int end) {
    End at = end(end);
    if (at.closed || at.closedBy.contains(session)) {
      throw new IllegalStateException(at.describe() + " is closed"
          + (at.closed ? "" : " (this process closed it)"));
    }
    at.holders.add(session);
    at.everHeld = true;
    return at;
  }

  /** Under the monitor: {@code session} no longer holds {@code at}; the last holder closes it. */
  private void release(End at, long session, Completions completions) {
    if (!at.holders.remove(session) || !at.holders.isEmpty() || !at.everHeld || at.closed) {
      return;
    }
    at.closed = true;
    End peer = ends[1 - at.index];
    // the peer's inbox is empty wherever someone waits there: they get the end of the pipe now
    peer.receivers.failAll(() -> closedPeer(peer), completions);
    peer.pollers.grantAll(true, completions);
  }

  /** Under the monitor: the session's own waiters at {@code at} learn that it closed the end. */
  private void failWaiters(End at, long session, Completions completions) {
    for (var it = at.receivers.iterator(); it.hasNext(); ) {
      Waiter<Object> w = it.next();
      if (w.session == session) {
        it.remove();
        completions.fail(w.future, new PipeClosedException(at.describe() + " was closed while receiving"));
      }
    }
    for (var it = at.pollers.iterator(); it.hasNext(); ) {
      Waiter<Boolean> w = it.next();
      if (w.session == session) {
        it.remove();
        completions.grant(w.future, true, null);
      }
    }
  }

  private PipeClosedException closedPeer(End at) {
    return new PipeClosedException(ends[1 - at.index].describe() + " is closed and everything it sent was received");
  }

  private void grantReceive(End at, CompletableFuture<Object> future, Object item, Completions completions) {
    completions.grant(future, item, more -> giveBack(at.index, item));
  }

  /**
   * For status reports: the items waiting at either end, the blocked receives and polls, per
   * session the ends it holds, and each end's items and whether it is closed.
   */
  public synchronized Summary summary() {
    Map<Long, Long> holders = new HashMap<>();
    for (End at : ends) {
      at.holders.forEach(session -> holders.merge(session, 1L, Long::sum));
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("left_items", (long) ends[0].inbox.size());
    counts.put("right_items", (long) ends[1].inbox.size());
    counts.put("left_closed", ends[0].closed ? 1L : 0L);
    counts.put("right_closed", ends[1].closed ? 1L : 0L);
    return new Summary(ends[0].inbox.size() + ends[1].inbox.size(), waiters(), holders, counts);
  }
}

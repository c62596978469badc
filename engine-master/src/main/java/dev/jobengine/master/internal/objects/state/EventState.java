package dev.jobengine.master.internal.objects.state;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An event flag (Python's {@code multiprocessing.Event}): {@link #set()} wakes every waiter, and
 * while set, {@link #await} completes at once. Nothing is owned, so nothing is given back: a waiter
 * whose caller cancels its future (timeout) is just removed, and a session ending cancels its
 * waiters. Thread-safe; guarded by its own monitor.
 */
public final class EventState implements SessionScoped {
  private final WaitQueue<Void> waiters = new WaitQueue<>(this);
  private boolean flag;

  /** Sets the flag and wakes every waiter. */
  public void set() {
    Completions.decide(this, completions -> {
      flag = true;
      waiters.grantAll(null, completions);
    });
  }

  /** Clears the flag; later awaits wait for the next {@link #set()}. */
  public synchronized void clear() {
    flag = false;
  }

  /** Whether the flag is set. */
  public synchronized boolean isSet() {
    return flag;
  }

  /**
   * Completes when the flag is set: at once if it is. Cancelling the pending future withdraws the
   * wait; a session ending cancels its waits.
   */
  public CompletableFuture<Void> await(long session) {
    return await(session, new CompletableFuture<>());
  }

  /** {@link #await(long)} completing the caller's {@code future}; returns it. */
  public CompletableFuture<Void> await(long session, CompletableFuture<Void> future) {
    return waiters.await(session, future, completions -> {
      if (flag) {
        completions.grant(future, null, null);
      }
      return flag;
    });
  }

  /** Blocked awaits. */
  public synchronized int waiters() {
    return waiters.size();
  }

  /** The session's pending awaits are cancelled. */
  @Override
  public void sessionEnded(long session) {
    Completions.decide(this, completions -> waiters.cancelSession(session, completions));
  }

  /** For status reports: whether it is set, and the blocked awaits. */
  public synchronized Summary summary() {
    return new Summary(-1, waiters.size(), Map.of(), Map.of("set", flag ? 1L : 0L));
  }
}

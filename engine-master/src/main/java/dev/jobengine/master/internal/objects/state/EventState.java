package dev.jobengine.master.internal.objects.state;

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
    Completions completions = new Completions();
    synchronized (this) {
      flag = true;
      waiters.grantAll(null, completions);
    }
    completions.run(this);
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
    Waiter<Void> waiter = null;
    boolean now;
    synchronized (this) {
      now = flag;
      if (!now && !future.isDone()) {
        waiter = waiters.add(session, future);
      }
    }
    if (now) {
      future.complete(null);
    } else if (waiter != null) {
      waiters.watch(waiter);
    }
    return future;
  }

  /** Blocked awaits. */
  public synchronized int waiters() {
    return waiters.size();
  }

  /** The session's pending awaits are cancelled. */
  @Override
  public void sessionEnded(long session) {
    Completions completions = new Completions();
    synchronized (this) {
      waiters.cancelSession(session, completions);
    }
    completions.run(this);
  }
}

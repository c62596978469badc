package dev.jobengine.master.internal.objects.state;

import dev.jobengine.master.internal.metrics.EngineCounters;
import dev.jobengine.master.internal.metrics.Recorder;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A lock owned by a session (Python's {@code multiprocessing.Lock}, or {@code RLock} when
 * reentrant). Blocked acquires are granted in FIFO order. Reentrant: the owning session
 * re-acquires at once and must release as many times. Non-reentrant: an acquire by the owning
 * session waits like any other (another thread of that process may release).
 *
 * <p>Timeouts: the caller cancels the acquire's future, which withdraws it. If the cancel comes
 * after the lock was granted but before the future completed, the hold is given back and the lock
 * goes to the next waiter. When the owning session ends, the lock is freed completely and granted
 * to the next waiter. Thread-safe; guarded by its own monitor.
 */
public final class LockState implements SessionScoped, EngineCounters.WaitMeasured {
  private static final long FREE = -1;

  private final boolean reentrant;
  private final WaitQueue<Void> waiters = new WaitQueue<>(this);
  private long owner = FREE;
  private int holds;
  /** Bumped each time a session becomes the owner, so a stale give-back frees nothing. */
  private long ownership;

  public LockState(boolean reentrant) {
    this.reentrant = reentrant;
  }

  /** Records how long each acquire that had to wait waited, queued to granted. */
  @Override
  public void measureWaits(Recorder recorder) {
    waiters.measureWaits(recorder);
  }

  /** Whether the owning session may re-acquire (RLock). */
  public boolean reentrant() {
    return reentrant;
  }

  /**
   * Completes when {@code session} holds the lock: at once if it is free (or, reentrant, already
   * held by the session), otherwise after the earlier waiters. Cancelling the pending future
   * withdraws the acquire; a session ending cancels its pending acquires.
   */
  public CompletableFuture<Void> acquire(long session) {
    return acquire(session, new CompletableFuture<>());
  }

  /** {@link #acquire(long)} completing the caller's {@code future}; returns it. */
  public CompletableFuture<Void> acquire(long session, CompletableFuture<Void> future) {
    return waiters.await(session, future, completions -> {
      if (owner == FREE && waiters.isEmpty()) {
        grant(session, future, completions);
        return true;
      }
      if (reentrant && owner == session) {
        holds++;
        long current = ownership;
        completions.grant(future, null, more -> refused(current, more));
        return true;
      }
      return false;
    });
  }

  /** Takes the lock if that needs no waiting; returns whether {@code session} now holds it. */
  public synchronized boolean tryAcquire(long session) {
    if (owner == FREE && waiters.isEmpty()) {
      own(session);
      return true;
    }
    if (reentrant && owner == session) {
      holds++;
      return true;
    }
    return false;
  }

  /**
   * Releases one hold of {@code session}; when none remains the lock goes to the next waiter.
   *
   * @throws IllegalMonitorStateException if {@code session} does not hold the lock
   */
  public void release(long session) {
    Completions.decide(this, completions -> {
      if (owner == FREE || owner != session) {
        throw new IllegalMonitorStateException(
            "session " + session + " does not hold the lock" + (owner == FREE ? " (free)" : ""));
      }
      if (--holds == 0) {
        free(completions);
      }
    });
  }

  /** Whether some session holds the lock (a grant on its way to a waiter counts). */
  public synchronized boolean isLocked() {
    return owner != FREE;
  }

  /** The owning session, or -1 when free. */
  public synchronized long owner() {
    return owner;
  }

  /** Holds of the owning session (0 when free; above 1 only when reentrant). */
  public synchronized int holdCount() {
    return holds;
  }

  /** Blocked acquires. */
  public synchronized int waiters() {
    return waiters.size();
  }

  /** The session's pending acquires are cancelled; if it holds the lock, it is freed completely. */
  @Override
  public void sessionEnded(long session) {
    Completions.decide(this, completions -> {
      waiters.cancelSession(session, completions);
      if (owner != FREE && owner == session) {
        free(completions);
      }
    });
  }

  private void own(long session) {
    owner = session;
    holds = 1;
    ownership++;
  }

  /** Under the monitor: makes {@code session} the owner and schedules the completion. */
  private void grant(long session, CompletableFuture<Void> future, Completions completions) {
    own(session);
    long current = ownership;
    completions.grant(future, null, more -> refused(current, more));
  }

  /** Under the monitor: frees the lock and hands it to the next waiter, if any. */
  private void free(Completions completions) {
    owner = FREE;
    holds = 0;
    Waiter<Void> next = waiters.pollToGrant(completions);
    if (next != null) {
      grant(next.session, next.future, completions);
    }
  }

  /** A granted acquire was cancelled in time: give its hold back, unless ownership moved on. */
  private synchronized void refused(long grantedOwnership, Completions more) {
    if (owner != FREE && ownership == grantedOwnership && --holds == 0) {
      free(more);
    }
  }

  /** For status reports: the owning session and its holds, and the blocked acquires. */
  public synchronized Summary summary() {
    return new Summary(-1, waiters.size(), owner == FREE ? Map.of() : Map.of(owner, (long) holds), Map.of());
  }
}

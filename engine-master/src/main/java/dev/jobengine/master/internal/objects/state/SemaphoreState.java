package dev.jobengine.master.internal.objects.state;

import dev.jobengine.master.internal.metrics.EngineCounters;
import dev.jobengine.master.internal.metrics.Recorder;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A counting semaphore (Python's {@code multiprocessing.Semaphore}, or {@code BoundedSemaphore}
 * when bounded). Blocked acquires take one permit each, in FIFO order. Any session may release
 * (Python semantics); a bounded semaphore refuses a release that would raise the available permits
 * above the initial count. Each session's held permits (its acquires minus its releases, floored
 * at 0) are tracked.
 *
 * <p>Timeouts: the caller cancels the acquire's future, which withdraws it. If the cancel comes
 * after the permit was granted but before the future completed, the permit is given back (and may
 * go to the next waiter). When a session ends, the permits it holds are returned (a bounded
 * semaphore never exceeds its initial count). Thread-safe; guarded by its own monitor.
 */
public final class SemaphoreState implements SessionScoped, EngineCounters.WaitMeasured {
  /** Permits one session holds; {@code ended} once its session ended and they were returned. */
  private static final class Holder {
    final long session;
    int held;
    boolean ended;

    Holder(long session) {
      this.session = session;
    }
  }

  private final int initial;
  private final boolean bounded;
  private final WaitQueue<Void> waiters = new WaitQueue<>(this);
  private final Map<Long, Holder> holders = new HashMap<>();
  private int available;

  /**
   * A semaphore with {@code permits} available.
   *
   * @throws IllegalArgumentException if {@code permits < 0}
   */
  public SemaphoreState(int permits, boolean bounded) {
    if (permits < 0) {
      throw new IllegalArgumentException("permits must be >= 0: " + permits);
    }
    this.initial = permits;
    this.available = permits;
    this.bounded = bounded;
  }

  /**
   * Takes one permit for {@code session}: at once if one is available and nobody waits, otherwise
   * after the earlier waiters. Cancelling the pending future withdraws the acquire; a session
   * ending cancels its pending acquires.
   */
  public CompletableFuture<Void> acquire(long session) {
    return acquire(session, new CompletableFuture<>());
  }

  /** {@link #acquire(long)} completing the caller's {@code future}; returns it. */
  public CompletableFuture<Void> acquire(long session, CompletableFuture<Void> future) {
    return waiters.await(session, future, completions -> {
      if (available > 0 && waiters.isEmpty()) {
        grant(session, future, completions);
        return true;
      }
      return false;
    });
  }

  /** Takes one permit if that needs no waiting; returns whether it did. */
  public synchronized boolean tryAcquire(long session) {
    if (available > 0 && waiters.isEmpty()) {
      take(session);
      return true;
    }
    return false;
  }

  /**
   * Returns one permit (any session may) and grants the next waiter; lowers {@code session}'s held
   * count if it holds any.
   *
   * @throws IllegalStateException if bounded and the permits would exceed the initial count
   */
  public void release(long session) {
    Completions.decide(this, completions -> {
      if (bounded && available >= initial) {
        throw new IllegalStateException("semaphore released too many times");
      }
      Holder holder = holders.get(session);
      if (holder != null) {
        drop(holder, 1);
      }
      giveBack(1, completions);
    });
  }

  /** Records how long each acquire that had to wait waited, queued to granted. */
  @Override
  public void measureWaits(Recorder recorder) {
    waiters.measureWaits(recorder);
  }

  /** Permits available now (permits granted to waiters on their way count as taken). */
  public synchronized int availablePermits() {
    return available;
  }

  /** The permits it was created with (the bound, if bounded). */
  public int initialPermits() {
    return initial;
  }

  /** Whether releases above the initial count are refused (BoundedSemaphore). */
  public boolean bounded() {
    return bounded;
  }

  /** Permits {@code session} holds (its acquires minus its releases, floored at 0). */
  public synchronized int held(long session) {
    Holder holder = holders.get(session);
    return holder == null ? 0 : holder.held;
  }

  /** Blocked acquires. */
  public synchronized int waiters() {
    return waiters.size();
  }

  /** The session's pending acquires are cancelled and the permits it holds are returned. */
  @Override
  public void sessionEnded(long session) {
    Completions.decide(this, completions -> {
      waiters.cancelSession(session, completions);
      Holder holder = holders.remove(session);
      if (holder != null) {
        holder.ended = true;
        giveBack(holder.held, completions);
        holder.held = 0;
      }
    });
  }

  private Holder take(long session) {
    available--;
    Holder holder = holders.computeIfAbsent(session, Holder::new);
    holder.held++;
    return holder;
  }

  private void drop(Holder holder, int permits) {
    holder.held = Math.max(0, holder.held - permits);
    if (holder.held == 0) {
      holders.remove(holder.session, holder);
    }
  }

  /** Under the monitor: takes a permit for {@code session} and schedules the completion. */
  private void grant(long session, CompletableFuture<Void> future, Completions completions) {
    Holder holder = take(session);
    completions.grant(future, null, more -> refused(holder, more));
  }

  /** Under the monitor: returns permits (capped at the initial count if bounded), grants waiters. */
  private void giveBack(int permits, Completions completions) {
    available += permits;
    if (bounded && available > initial) {
      available = initial;
    }
    while (available > 0 && !waiters.isEmpty()) {
      Waiter<Void> next = waiters.pollToGrant(completions);
      grant(next.session, next.future, completions);
    }
  }

  /** A granted acquire was cancelled in time: give the permit back, unless its session ended. */
  private synchronized void refused(Holder holder, Completions more) {
    if (!holder.ended) {
      drop(holder, 1);
      giveBack(1, more);
    }
  }

  /** For status reports: the permits each session holds, those available, and the blocked acquires. */
  public synchronized Summary summary() {
    Map<Long, Long> held = new HashMap<>();
    holders.forEach((session, holder) -> held.put(session, (long) holder.held));
    return new Summary(-1, waiters.size(), held, Map.of("available", (long) available));
  }
}

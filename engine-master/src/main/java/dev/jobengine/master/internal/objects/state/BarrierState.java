package dev.jobengine.master.internal.objects.state;

import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;

/**
 * A cyclic barrier (Python's {@code multiprocessing.Barrier}, with the arrival indices of {@link
 * java.util.concurrent.CyclicBarrier}): when the last of {@code parties} arrives, every waiting
 * party completes and the barrier resets for the next generation. Indices are handed out when the
 * barrier trips, by arrival order among the parties then present: {@code parties - 1} for the
 * first, 0 for the last.
 *
 * <p>Timeouts: the caller cancels its await's future. A waiting party cancelled (or completed by
 * anyone but the barrier) breaks the barrier: every other waiter fails with {@link
 * BrokenBarrierException}, and so does every later await until {@link #reset()}. A cancel that
 * comes after the barrier tripped changes nothing (the barrier tripped). When a session ends, its
 * waiting places are withdrawn without breaking the barrier. Thread-safe; guarded by its own
 * monitor.
 */
public final class BarrierState implements SessionScoped {
  private final int parties;
  private final WaitQueue<Integer> waiting = new WaitQueue<>(this);
  private boolean broken;

  /**
   * A barrier for {@code parties} parties.
   *
   * @throws IllegalArgumentException if {@code parties < 1}
   */
  public BarrierState(int parties) {
    if (parties < 1) {
      throw new IllegalArgumentException("parties must be >= 1: " + parties);
    }
    this.parties = parties;
  }

  /**
   * Arrives at the barrier: the future completes with this party's arrival index when the barrier
   * trips (at once with 0 for the last party), or fails with {@link BrokenBarrierException} if the
   * barrier is or becomes broken. Cancelling the pending future breaks the barrier.
   */
  public CompletableFuture<Integer> await(long session) {
    return await(session, new CompletableFuture<>());
  }

  /** {@link #await(long)} completing the caller's {@code future}; returns it. */
  public CompletableFuture<Integer> await(long session, CompletableFuture<Integer> future) {
    return waiting.await(new Waiter<>(session, future), completions -> {
      if (!broken && anyGaveUp()) {
        // a party gave up (timed out) and its abandonment is still on its way: the barrier is broken
        broken = true;
        failAll(completions);
      }
      if (broken) {
        completions.fail(future, new BrokenBarrierException());
        return true;
      }
      if (waiting.size() + 1 < parties) {
        return false;
      }
      int index = parties - 1;
      Waiter<Integer> party;
      while ((party = waiting.poll()) != null) {
        completions.grant(party.future, index--, null);
      }
      completions.grant(future, 0, null);
      return true;
    }, this::abandoned);
  }

  /**
   * Fails the current waiters with {@link BrokenBarrierException} and makes the barrier usable
   * again (not broken, nobody waiting).
   */
  public void reset() {
    Completions.decide(this, completions -> {
      failAll(completions);
      broken = false;
    });
  }

  /** Whether the barrier is broken (a waiting party gave up) and not yet {@link #reset()}. */
  public synchronized boolean isBroken() {
    return broken;
  }

  /** Parties needed to trip the barrier. */
  public int parties() {
    return parties;
  }

  /** Parties waiting in the current generation. */
  public synchronized int numberWaiting() {
    return waiting.size();
  }

  /** Blocked awaits (the same as {@link #numberWaiting()}). */
  public synchronized int waiters() {
    return waiting.size();
  }

  /** The session's waiting places are withdrawn (their futures cancelled); nothing breaks. */
  @Override
  public void sessionEnded(long session) {
    Completions.decide(this, completions -> waiting.cancelSession(session, completions));
  }

  private boolean anyGaveUp() {
    for (Waiter<Integer> w : waiting) {
      if (w.future.isDone()) {
        return true;
      }
    }
    return false;
  }

  private void failAll(Completions completions) {
    waiting.failAll(BrokenBarrierException::new, completions);
  }

  /** Under the monitor: a waiting party gave up (timeout), so the barrier breaks. */
  private void abandoned(Waiter<Integer> waiter, Completions completions) {
    broken = true;
    failAll(completions);
  }

  /** For status reports: the parties waiting, and whether it is broken. */
  public synchronized Summary summary() {
    return new Summary(-1, waiting.size(), Map.of(), Map.of("broken", broken ? 1L : 0L));
  }
}

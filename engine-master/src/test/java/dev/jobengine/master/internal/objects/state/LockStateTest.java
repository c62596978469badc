package dev.jobengine.master.internal.objects.state;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LockStateTest {
  private static final long A = 1;
  private static final long B = 2;
  private static final long C = 3;

  @Test
  void freeLockIsAcquiredAtOnceAndReleased() throws Exception {
    LockState lock = new LockState(false);
    assertThat(lock.isLocked()).isFalse();
    assertThat(lock.owner()).isEqualTo(-1);
    assertThat(lock.holdCount()).isZero();
    assertThat(lock.acquire(A).get(5, SECONDS)).isNull();
    assertThat(lock.isLocked()).isTrue();
    assertThat(lock.owner()).isEqualTo(A);
    assertThat(lock.holdCount()).isEqualTo(1);
    lock.release(A);
    assertThat(lock.isLocked()).isFalse();
    assertThat(lock.owner()).isEqualTo(-1);
  }

  @Test
  void waitersAreGrantedInFifoOrder() throws Exception {
    LockState lock = new LockState(false);
    lock.acquire(A);
    CompletableFuture<Void> b = lock.acquire(B);
    CompletableFuture<Void> c = lock.acquire(C);
    CompletableFuture<Void> a = lock.acquire(A);
    assertThat(lock.waiters()).isEqualTo(3);
    assertThat(lock.tryAcquire(B)).isFalse();
    lock.release(A);
    assertThat(b.get(5, SECONDS)).isNull();
    assertThat(c).isNotDone();
    assertThat(lock.owner()).isEqualTo(B);
    lock.release(B);
    assertThat(c).isDone();
    assertThat(a).isNotDone();
    lock.release(C);
    assertThat(a).isDone();
    assertThat(lock.owner()).isEqualTo(A);
    assertThat(lock.waiters()).isZero();
  }

  @Test
  void nonReentrantAcquireByTheOwnerWaitsUntilReleased() {
    LockState lock = new LockState(false);
    assertThat(lock.reentrant()).isFalse();
    assertThat(lock.tryAcquire(A)).isTrue();
    assertThat(lock.tryAcquire(A)).isFalse();
    CompletableFuture<Void> again = lock.acquire(A);
    assertThat(again).isNotDone();
    lock.release(A); // another thread of the same process
    assertThat(again).isDone();
    assertThat(lock.owner()).isEqualTo(A);
    assertThat(lock.holdCount()).isEqualTo(1);
  }

  @Test
  void reentrantLockCountsHolds() {
    LockState lock = new LockState(true);
    assertThat(lock.reentrant()).isTrue();
    assertThat(lock.acquire(A)).isDone();
    assertThat(lock.acquire(A)).isDone();
    assertThat(lock.tryAcquire(A)).isTrue();
    assertThat(lock.holdCount()).isEqualTo(3);
    CompletableFuture<Void> b = lock.acquire(B);
    assertThat(lock.tryAcquire(B)).isFalse();
    lock.release(A);
    lock.release(A);
    assertThat(b).isNotDone();
    assertThat(lock.holdCount()).isEqualTo(1);
    lock.release(A);
    assertThat(b).isDone();
    assertThat(lock.owner()).isEqualTo(B);
    assertThat(lock.holdCount()).isEqualTo(1);
  }

  @Test
  void releaseByANonOwnerFails() {
    LockState lock = new LockState(true);
    assertThatThrownBy(() -> lock.release(A)).isInstanceOf(IllegalMonitorStateException.class);
    lock.acquire(A);
    assertThatThrownBy(() -> lock.release(B)).isInstanceOf(IllegalMonitorStateException.class);
    assertThatThrownBy(() -> lock.release(-1)).isInstanceOf(IllegalMonitorStateException.class);
    assertThat(lock.owner()).isEqualTo(A);
    lock.release(A);
    assertThatThrownBy(() -> lock.release(A)).isInstanceOf(IllegalMonitorStateException.class);
  }

  @Test
  void cancelledWaiterIsRemovedAndNeverGranted() {
    LockState lock = new LockState(false);
    lock.acquire(A);
    CompletableFuture<Void> b = lock.acquire(B);
    CompletableFuture<Void> c = lock.acquire(C);
    assertThat(b.cancel(false)).isTrue();
    assertThat(lock.waiters()).isEqualTo(1);
    lock.release(A);
    assertThat(c).isDone();
    assertThat(lock.owner()).isEqualTo(C);
    assertThat(c.cancel(false)).isFalse(); // too late: C holds it
    lock.release(C);
    assertThat(lock.isLocked()).isFalse();
    assertThat(lock.waiters()).isZero();
  }

  @Test
  void endedOwnerFreesTheLockCompletelyForTheNextWaiter() throws Exception {
    LockState lock = new LockState(true);
    lock.acquire(A);
    lock.acquire(A);
    lock.acquire(A);
    CompletableFuture<Void> b = lock.acquire(B);
    CompletableFuture<Void> c = lock.acquire(C);
    lock.sessionEnded(A);
    assertThat(b.get(5, SECONDS)).isNull();
    assertThat(lock.owner()).isEqualTo(B);
    assertThat(lock.holdCount()).isEqualTo(1);
    assertThat(c).isNotDone();
    lock.sessionEnded(A); // idempotent
    assertThat(lock.owner()).isEqualTo(B);
  }

  @Test
  void endedSessionsWaitersAreDroppedAndOthersKept() {
    LockState lock = new LockState(false);
    lock.acquire(A);
    CompletableFuture<Void> b1 = lock.acquire(B);
    CompletableFuture<Void> c = lock.acquire(C);
    CompletableFuture<Void> b2 = lock.acquire(B);
    lock.sessionEnded(B);
    assertThat(b1).isCancelled();
    assertThat(b2).isCancelled();
    assertThat(lock.waiters()).isEqualTo(1);
    assertThat(lock.owner()).isEqualTo(A); // a waiter's end does not touch the owner
    lock.sessionEnded(A);
    assertThat(c).isDone();
    assertThat(lock.owner()).isEqualTo(C);
    lock.sessionEnded(C);
    assertThat(lock.isLocked()).isFalse();
    assertThat(lock.waiters()).isZero();
  }

  @Test
  void raceGrantCancelledInTimeGoesToTheNextWaiter() throws Exception {
    LockState lock = new LockState(false);
    lock.acquire(A);
    CancelledOnGrant<Void> racy = new CancelledOnGrant<>();
    lock.acquire(B, racy);
    CompletableFuture<Void> c = lock.acquire(C);
    lock.release(A);
    assertThat(racy.completeCalls).isEqualTo(1);
    assertThat(racy).isCancelled();
    assertThat(c.get(5, SECONDS)).isNull();
    assertThat(lock.owner()).isEqualTo(C);
    assertThat(lock.holdCount()).isEqualTo(1);
    assertThat(lock.waiters()).isZero();
  }

  @Test
  void raceGrantCancelledInTimeWithNobodyWaitingFreesTheLock() {
    LockState lock = new LockState(false);
    lock.acquire(A);
    lock.acquire(B, new CancelledOnGrant<>());
    lock.release(A);
    assertThat(lock.isLocked()).isFalse();
    // an immediate grant refused the same way
    lock.acquire(C, new CancelledOnGrant<>());
    assertThat(lock.isLocked()).isFalse();
    assertThat(lock.waiters()).isZero();
  }

  @Test
  void raceReentrantHoldCancelledInTimeIsGivenBack() {
    LockState lock = new LockState(true);
    lock.acquire(A);
    lock.acquire(A, new CancelledOnGrant<>());
    assertThat(lock.owner()).isEqualTo(A);
    assertThat(lock.holdCount()).isEqualTo(1);
  }

  @Test
  void raceGiveBackAfterOwnershipMovedOnChangesNothing() {
    LockState lock = new LockState(false);
    lock.acquire(A);
    CompletableFuture<Void> b =
        new CompletableFuture<>() {
          @Override
          public boolean complete(Void value) {
            // between grant and completion B's session ends: the lock moves on to C
            lock.sessionEnded(B);
            cancel(false);
            return super.complete(value);
          }
        };
    lock.acquire(B, b);
    CompletableFuture<Void> c = lock.acquire(C);
    lock.release(A);
    assertThat(b).isCancelled();
    assertThat(c).isDone();
    assertThat(lock.owner()).isEqualTo(C);
    assertThat(lock.holdCount()).isEqualTo(1); // the stale give-back freed nothing
    assertThat(lock.waiters()).isZero();
  }

  @Test
  void stressNonReentrant() throws Exception {
    stress(new LockState(false));
  }

  @Test
  void stressReentrant() throws Exception {
    stress(new LockState(true));
  }

  private static void stress(LockState lock) throws Exception {
    AtomicLong inside = new AtomicLong(-1);
    AtomicInteger entered = new AtomicInteger();
    int[] unguarded = {0};
    int total =
        Stress.run(
                Stress.THREADS,
                thread -> {
                  long session = thread + 1;
                  Random random = new Random(thread);
                  int mine = 0;
                  for (int i = 0; i < Stress.OPS; i++) {
                    boolean held;
                    if (random.nextInt(4) == 0) {
                      held = lock.tryAcquire(session);
                    } else {
                      CompletableFuture<Void> f = lock.acquire(session);
                      if (random.nextInt(3) == 0) {
                        f.cancel(false);
                      }
                      try {
                        f.get(30, SECONDS);
                        held = true;
                      } catch (CancellationException cancelled) {
                        held = false;
                      }
                    }
                    if (!held) {
                      continue;
                    }
                    assertThat(inside.getAndSet(session)).isEqualTo(-1);
                    if (lock.reentrant() && random.nextBoolean()) {
                      assertThat(lock.tryAcquire(session)).isTrue();
                      // at least 2: a grant this thread cancelled in time may still hold one
                      assertThat(lock.holdCount()).isGreaterThanOrEqualTo(2);
                      lock.release(session);
                    }
                    unguarded[0]++; // guarded by the lock itself
                    mine++;
                    entered.incrementAndGet();
                    assertThat(inside.getAndSet(-1)).isEqualTo(session);
                    lock.release(session);
                  }
                  return mine;
                })
            .stream()
            .mapToInt(Integer::intValue)
            .sum();
    assertThat(total).isEqualTo(entered.get());
    assertThat(unguarded[0]).isEqualTo(total);
    assertThat(lock.isLocked()).isFalse();
    assertThat(lock.holdCount()).isZero();
    assertThat(lock.waiters()).isZero();
    assertThat(total).isPositive();
  }
}

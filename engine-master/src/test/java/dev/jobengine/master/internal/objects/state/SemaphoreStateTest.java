package dev.jobengine.master.internal.objects.state;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SemaphoreStateTest {
  private static final long A = 1;
  private static final long B = 2;
  private static final long C = 3;

  @Test
  void permitsMustNotBeNegative() {
    assertThatThrownBy(() -> new SemaphoreState(-1, false))
        .isInstanceOf(IllegalArgumentException.class);
    SemaphoreState none = new SemaphoreState(0, true);
    assertThat(none.availablePermits()).isZero();
    assertThat(none.initialPermits()).isZero();
    assertThat(none.bounded()).isTrue();
    assertThat(none.tryAcquire(A)).isFalse();
  }

  @Test
  void acquiresTakePermitsAndWaitInFifoOrder() throws Exception {
    SemaphoreState sem = new SemaphoreState(2, false);
    assertThat(sem.bounded()).isFalse();
    assertThat(sem.acquire(A).get(5, SECONDS)).isNull();
    assertThat(sem.tryAcquire(A)).isTrue();
    assertThat(sem.availablePermits()).isZero();
    assertThat(sem.held(A)).isEqualTo(2);
    CompletableFuture<Void> b = sem.acquire(B);
    CompletableFuture<Void> c = sem.acquire(C);
    assertThat(sem.waiters()).isEqualTo(2);
    assertThat(sem.tryAcquire(C)).isFalse();
    sem.release(A);
    assertThat(b).isDone();
    assertThat(c).isNotDone();
    assertThat(sem.held(A)).isEqualTo(1);
    assertThat(sem.held(B)).isEqualTo(1);
    sem.release(A);
    assertThat(c).isDone();
    assertThat(sem.availablePermits()).isZero();
    assertThat(sem.waiters()).isZero();
  }

  @Test
  void anySessionMayReleaseAndHeldCountsFloorAtZero() {
    SemaphoreState sem = new SemaphoreState(0, false);
    CompletableFuture<Void> a = sem.acquire(A);
    sem.release(B); // B held nothing: signals A
    assertThat(a).isDone();
    assertThat(sem.held(A)).isEqualTo(1);
    assertThat(sem.held(B)).isZero();
    sem.release(B);
    sem.release(B);
    assertThat(sem.availablePermits()).isEqualTo(2); // unbounded: above the initial count is fine
    assertThat(sem.held(B)).isZero();
  }

  @Test
  void boundedSemaphoreRefusesReleasesAboveTheInitialCount() {
    SemaphoreState sem = new SemaphoreState(1, true);
    assertThatThrownBy(() -> sem.release(A))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("released too many times");
    sem.acquire(A);
    sem.release(B);
    assertThat(sem.availablePermits()).isEqualTo(1);
    assertThatThrownBy(() -> sem.release(A)).isInstanceOf(IllegalStateException.class);
    assertThat(sem.availablePermits()).isEqualTo(1);
  }

  @Test
  void cancelledWaiterIsRemovedAndConsumesNothing() {
    SemaphoreState sem = new SemaphoreState(1, true);
    sem.acquire(A);
    CompletableFuture<Void> b = sem.acquire(B);
    CompletableFuture<Void> c = sem.acquire(C);
    assertThat(b.cancel(false)).isTrue();
    assertThat(sem.waiters()).isEqualTo(1);
    sem.release(A);
    assertThat(c).isDone();
    assertThat(sem.held(B)).isZero();
    sem.release(C);
    assertThat(sem.availablePermits()).isEqualTo(1);
    assertThat(sem.waiters()).isZero();
  }

  @Test
  void endedSessionsPermitsAreReturnedToWaiters() throws Exception {
    SemaphoreState sem = new SemaphoreState(3, false);
    sem.acquire(A);
    sem.acquire(A);
    sem.acquire(B);
    CompletableFuture<Void> c1 = sem.acquire(C);
    CompletableFuture<Void> a3 = sem.acquire(A);
    CompletableFuture<Void> c2 = sem.acquire(C);
    CompletableFuture<Void> c3 = sem.acquire(C);
    sem.sessionEnded(A);
    assertThat(a3).isCancelled();
    assertThat(c1.get(5, SECONDS)).isNull();
    assertThat(c2.get(5, SECONDS)).isNull();
    assertThat(c3).isNotDone();
    assertThat(sem.held(A)).isZero();
    assertThat(sem.held(C)).isEqualTo(2);
    assertThat(sem.availablePermits()).isZero();
    sem.sessionEnded(A); // idempotent
    sem.sessionEnded(C);
    assertThat(c3).isCancelled();
    assertThat(sem.availablePermits()).isEqualTo(2);
    assertThat(sem.waiters()).isZero();
  }

  @Test
  void boundedSemaphoreNeverExceedsItsInitialCountWhenASessionEnds() {
    SemaphoreState sem = new SemaphoreState(1, true);
    sem.acquire(A);
    sem.release(B); // released A's permit on A's behalf
    sem.sessionEnded(A); // A still counts one held
    assertThat(sem.availablePermits()).isEqualTo(1);
  }

  @Test
  void raceGrantCancelledInTimeReturnsThePermitToTheNextWaiter() throws Exception {
    SemaphoreState sem = new SemaphoreState(1, true);
    sem.acquire(A);
    CancelledOnGrant<Void> racy = new CancelledOnGrant<>();
    sem.acquire(B, racy);
    CompletableFuture<Void> c = sem.acquire(C);
    sem.release(A);
    assertThat(racy.completeCalls).isEqualTo(1);
    assertThat(racy).isCancelled();
    assertThat(c.get(5, SECONDS)).isNull();
    assertThat(sem.held(B)).isZero();
    assertThat(sem.held(C)).isEqualTo(1);
    assertThat(sem.availablePermits()).isZero();
    assertThat(sem.waiters()).isZero();
  }

  @Test
  void raceGrantCancelledInTimeRestoresThePermitCount() {
    SemaphoreState sem = new SemaphoreState(2, true);
    sem.acquire(A, new CancelledOnGrant<>());
    assertThat(sem.availablePermits()).isEqualTo(2);
    assertThat(sem.held(A)).isZero();
    sem.acquire(A);
    sem.acquire(B);
    sem.acquire(C, new CancelledOnGrant<>());
    sem.release(A);
    assertThat(sem.availablePermits()).isEqualTo(1);
    assertThat(sem.waiters()).isZero();
  }

  @Test
  void raceGiveBackAfterTheSessionEndedIsNotCountedTwice() {
    SemaphoreState sem = new SemaphoreState(1, true);
    sem.acquire(A);
    CompletableFuture<Void> b =
        new CompletableFuture<>() {
          @Override
          public boolean complete(Void value) {
            sem.sessionEnded(B); // returns the permit granted a moment ago
            cancel(false);
            return super.complete(value);
          }
        };
    sem.acquire(B, b);
    sem.release(A);
    assertThat(b).isCancelled();
    assertThat(sem.availablePermits()).isEqualTo(1);
  }

  @Test
  void stress() throws Exception {
    int permits = 2;
    SemaphoreState sem = new SemaphoreState(permits, true);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger entered = new AtomicInteger();
    Stress.run(
        Stress.THREADS,
        thread -> {
          long session = thread + 1;
          Random random = new Random(thread);
          for (int i = 0; i < Stress.OPS; i++) {
            boolean held;
            if (random.nextInt(4) == 0) {
              held = sem.tryAcquire(session);
            } else {
              CompletableFuture<Void> f = sem.acquire(session);
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
            if (held) {
              assertThat(inside.incrementAndGet()).isBetween(1, permits);
              // at least 1: a grant this thread cancelled in time may still be on its way back
              assertThat(sem.held(session)).isBetween(1, permits);
              entered.incrementAndGet();
              inside.decrementAndGet();
              sem.release(session);
            }
          }
          return null;
        });
    assertThat(entered.get()).isPositive();
    assertThat(sem.availablePermits()).isEqualTo(permits);
    assertThat(sem.waiters()).isZero();
    for (long s = 1; s <= Stress.THREADS; s++) {
      assertThat(sem.held(s)).isZero();
    }
  }
}

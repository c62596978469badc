package dev.jobengine.master.internal.objects.state;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

class BarrierStateTest {
  private static final long A = 1;
  private static final long B = 2;
  private static final long C = 3;
  private static final long D = 4;

  @Test
  void partiesMustBePositive() {
    assertThatThrownBy(() -> new BarrierState(0)).isInstanceOf(IllegalArgumentException.class);
    BarrierState single = new BarrierState(1);
    assertThat(single.parties()).isEqualTo(1);
    assertThat(single.await(A)).isCompletedWithValue(0);
    assertThat(single.await(A)).isCompletedWithValue(0);
  }

  @Test
  void lastArrivalTripsWithCyclicBarrierIndicesAndTheBarrierResets() throws Exception {
    BarrierState barrier = new BarrierState(3);
    for (int generation = 0; generation < 2; generation++) {
      CompletableFuture<Integer> a = barrier.await(A);
      CompletableFuture<Integer> b = barrier.await(B);
      assertThat(barrier.numberWaiting()).isEqualTo(2);
      assertThat(barrier.waiters()).isEqualTo(2);
      assertThat(a).isNotDone();
      CompletableFuture<Integer> c = barrier.await(C);
      assertThat(c).isCompletedWithValue(0);
      assertThat(a.get(5, SECONDS)).isEqualTo(2);
      assertThat(b.get(5, SECONDS)).isEqualTo(1);
      assertThat(barrier.numberWaiting()).isZero();
      assertThat(barrier.isBroken()).isFalse();
    }
  }

  @Test
  void cancelledWaiterBreaksTheBarrierUntilReset() throws Exception {
    BarrierState barrier = new BarrierState(3);
    CompletableFuture<Integer> a = barrier.await(A);
    CompletableFuture<Integer> b = barrier.await(B);
    assertThat(a.cancel(false)).isTrue(); // A timed out
    assertThat(barrier.isBroken()).isTrue();
    assertBroken(b);
    assertThat(barrier.numberWaiting()).isZero();
    assertBroken(barrier.await(C));
    assertThat(barrier.waiters()).isZero();

    barrier.reset();
    assertThat(barrier.isBroken()).isFalse();
    CompletableFuture<Integer> a2 = barrier.await(A);
    CompletableFuture<Integer> b2 = barrier.await(B);
    assertThat(barrier.await(C)).isCompletedWithValue(0);
    assertThat(a2.get(5, SECONDS)).isEqualTo(2);
    assertThat(b2.get(5, SECONDS)).isEqualTo(1);
  }

  @Test
  void resetFailsCurrentWaitersAndLeavesTheBarrierUsable() throws Exception {
    BarrierState barrier = new BarrierState(2);
    CompletableFuture<Integer> a = barrier.await(A);
    barrier.reset();
    assertBroken(a);
    assertThat(barrier.isBroken()).isFalse();
    assertThat(barrier.numberWaiting()).isZero();
    CompletableFuture<Integer> b = barrier.await(B);
    assertThat(barrier.await(A)).isCompletedWithValue(0);
    assertThat(b.get(5, SECONDS)).isEqualTo(1);
  }

  @Test
  void endedSessionsPlacesAreWithdrawnWithoutBreaking() throws Exception {
    BarrierState barrier = new BarrierState(3);
    CompletableFuture<Integer> a = barrier.await(A);
    CompletableFuture<Integer> b = barrier.await(B);
    barrier.sessionEnded(A);
    assertThat(a).isCancelled();
    assertThat(barrier.isBroken()).isFalse();
    assertThat(barrier.numberWaiting()).isEqualTo(1);
    assertThat(b).isNotDone();
    CompletableFuture<Integer> c = barrier.await(C);
    assertThat(c).isNotDone();
    assertThat(barrier.await(D)).isCompletedWithValue(0);
    assertThat(b.get(5, SECONDS)).isEqualTo(2);
    assertThat(c.get(5, SECONDS)).isEqualTo(1);
    assertThat(barrier.waiters()).isZero();
  }

  @Test
  void raceCancelAfterTheTripChangesNothing() throws Exception {
    BarrierState barrier = new BarrierState(2);
    CancelledOnGrant<Integer> racy = new CancelledOnGrant<>();
    barrier.await(A, racy);
    assertThat(barrier.await(B)).isCompletedWithValue(0);
    assertThat(racy).isCancelled();
    assertThat(barrier.isBroken()).isFalse();
    assertThat(barrier.numberWaiting()).isZero();
    CompletableFuture<Integer> a = barrier.await(A);
    assertThat(barrier.await(B)).isCompletedWithValue(0);
    assertThat(a.get(5, SECONDS)).isEqualTo(1);
  }

  @Test
  void alreadyCancelledFutureTakesNoPlace() {
    BarrierState barrier = new BarrierState(2);
    CompletableFuture<Integer> f = new CompletableFuture<>();
    f.cancel(false);
    barrier.await(A, f);
    assertThat(barrier.numberWaiting()).isZero();
    assertThat(barrier.isBroken()).isFalse();
  }

  /**
   * Rounds of four threads; in each round some threads may cancel ("time out"). A test-side
   * CyclicBarrier lines the rounds up, and its barrier action checks that each round either
   * tripped (indices 0..3, or a party's cancel came too late to count) or broke for everyone.
   */
  @Test
  void stress() throws Exception {
    int parties = Stress.THREADS;
    int rounds = 2_000;
    BarrierState barrier = new BarrierState(parties);
    AtomicReferenceArray<CompletableFuture<Integer>> round = new AtomicReferenceArray<>(parties);
    AtomicInteger tripped = new AtomicInteger();
    AtomicInteger broke = new AtomicInteger();
    List<String> problems = new ArrayList<>();
    CyclicBarrier lineUp =
        new CyclicBarrier(
            parties,
            () -> {
              Set<Integer> indices = new TreeSet<>();
              int cancelled = 0;
              int brokenExceptions = 0;
              for (int t = 0; t < parties; t++) {
                CompletableFuture<Integer> f = round.get(t);
                if (f.isCancelled()) {
                  cancelled++;
                } else if (f.isCompletedExceptionally()) {
                  brokenExceptions++;
                } else {
                  indices.add(f.join());
                }
              }
              boolean ok;
              if (indices.isEmpty()) {
                ok = barrier.isBroken() && cancelled >= 1 && cancelled + brokenExceptions == parties;
                broke.incrementAndGet();
              } else {
                ok = !barrier.isBroken()
                    && brokenExceptions == 0
                    && indices.size() + cancelled == parties
                    && indices.stream().allMatch(i -> i >= 0 && i < parties);
                tripped.incrementAndGet();
              }
              if (!ok || barrier.numberWaiting() != 0) {
                problems.add(indices + " cancelled=" + cancelled + " broken=" + brokenExceptions);
              }
              barrier.reset();
            });
    Stress.run(
        parties,
        thread -> {
          Random random = new Random(thread);
          for (int r = 0; r < rounds; r++) {
            CompletableFuture<Integer> f = barrier.await(thread + 1);
            if (random.nextInt(50) == 0) {
              f.cancel(false);
            }
            try {
              f.get(30, SECONDS);
            } catch (ExecutionException | java.util.concurrent.CancellationException expected) {
              // broken or cancelled: checked by the line-up action
            }
            round.set(thread, f);
            lineUp.await(30, SECONDS);
          }
          return null;
        });
    assertThat(problems).isEmpty();
    assertThat(tripped.get() + broke.get()).isEqualTo(rounds);
    assertThat(tripped.get()).isPositive();
    assertThat(broke.get()).isPositive();
    assertThat(barrier.waiters()).isZero();
    assertThat(barrier.isBroken()).isFalse();
  }

  private static void assertBroken(CompletableFuture<Integer> f) {
    assertThat(f).isCompletedExceptionally();
    assertThatThrownBy(() -> f.get(5, SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(BrokenBarrierException.class);
  }

  @Test
  void anArrivalBeforeAGivenUpPartysAbandonmentIsHandledDoesNotTripTheBarrier() throws Exception {
    BarrierState barrier = new BarrierState(2);
    CompletableFuture<Integer> first = barrier.await(1);
    List<CompletableFuture<Integer>> next = new ArrayList<>();
    // Registered after the barrier's own handler, so it runs first when `first` is cancelled:
    // the same order as a caller that learns of its timeout and arrives again at once.
    first.whenComplete((v, e) -> next.add(barrier.await(2)));
    first.cancel(false);
    assertThat(next).singleElement().satisfies(f ->
        assertThatThrownBy(() -> f.get(5, SECONDS)).hasCauseInstanceOf(BrokenBarrierException.class));
    assertThat(barrier.isBroken()).isTrue();
    assertThat(barrier.waiters()).isZero();
  }
}

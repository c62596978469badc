package dev.jobengine.master.internal.objects.state;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class EventStateTest {
  private static final long A = 1;
  private static final long B = 2;

  @Test
  void setWakesEveryWaiterAndLaterAwaitsCompleteAtOnce() throws Exception {
    EventState event = new EventState();
    assertThat(event.isSet()).isFalse();
    CompletableFuture<Void> a = event.await(A);
    CompletableFuture<Void> b = event.await(B);
    assertThat(a).isNotDone();
    assertThat(event.waiters()).isEqualTo(2);
    event.set();
    assertThat(a.get(5, SECONDS)).isNull();
    assertThat(b.get(5, SECONDS)).isNull();
    assertThat(event.isSet()).isTrue();
    assertThat(event.waiters()).isZero();
    assertThat(event.await(A)).isDone();
    event.set(); // idempotent
    assertThat(event.isSet()).isTrue();
  }

  @Test
  void clearMakesAwaitsWaitAgain() {
    EventState event = new EventState();
    event.set();
    event.clear();
    assertThat(event.isSet()).isFalse();
    CompletableFuture<Void> a = event.await(A);
    assertThat(a).isNotDone();
    event.clear();
    assertThat(a).isNotDone();
    event.set();
    assertThat(a).isDone();
  }

  @Test
  void cancelledAwaitLeavesNoWaiter() {
    EventState event = new EventState();
    CompletableFuture<Void> a = event.await(A);
    CompletableFuture<Void> b = event.await(B);
    assertThat(a.cancel(false)).isTrue();
    assertThat(event.waiters()).isEqualTo(1);
    event.set();
    assertThat(a).isCancelled();
    assertThat(b).isDone();
    assertThat(event.waiters()).isZero();
  }

  @Test
  void alreadyCancelledFutureIsNotQueued() {
    EventState event = new EventState();
    CompletableFuture<Void> f = new CompletableFuture<>();
    f.cancel(false);
    assertThat(event.await(A, f)).isSameAs(f);
    assertThat(event.waiters()).isZero();
  }

  @Test
  void raceAwaitCancelledAfterSetChangesNothing() {
    EventState event = new EventState();
    CancelledOnGrant<Void> racy = new CancelledOnGrant<>();
    event.await(A, racy);
    CompletableFuture<Void> b = event.await(B);
    event.set();
    assertThat(racy).isCancelled();
    assertThat(b).isDone();
    assertThat(event.isSet()).isTrue();
    assertThat(event.waiters()).isZero();
  }

  @Test
  void sessionEndedCancelsOnlyThatSessionsWaiters() {
    EventState event = new EventState();
    CompletableFuture<Void> a1 = event.await(A);
    CompletableFuture<Void> b = event.await(B);
    CompletableFuture<Void> a2 = event.await(A);
    event.sessionEnded(A);
    assertThat(a1).isCancelled();
    assertThat(a2).isCancelled();
    assertThat(b).isNotDone();
    assertThat(event.waiters()).isEqualTo(1);
    event.set();
    assertThat(b).isDone();
  }

  @Test
  void stress() throws Exception {
    EventState event = new EventState();
    List<List<CompletableFuture<Void>>> all =
        Stress.run(
            Stress.THREADS,
            thread -> {
              Random random = new Random(thread);
              List<CompletableFuture<Void>> mine = new ArrayList<>();
              for (int i = 0; i < Stress.OPS; i++) {
                int op = random.nextInt(10);
                if (op == 0) {
                  event.set();
                } else if (op == 1) {
                  event.clear();
                } else if (op == 2) {
                  event.sessionEnded(thread + 1);
                } else {
                  CompletableFuture<Void> f = event.await(thread + 1);
                  if (random.nextBoolean()) {
                    f.cancel(false);
                  }
                  mine.add(f);
                }
              }
              return mine;
            });
    event.set();
    assertThat(event.waiters()).isZero();
    for (List<CompletableFuture<Void>> futures : all) {
      for (CompletableFuture<Void> f : futures) {
        assertThat(f).isDone();
        if (!f.isCancelled()) {
          assertThat(f.get(5, SECONDS)).isNull();
        }
      }
    }
  }
}

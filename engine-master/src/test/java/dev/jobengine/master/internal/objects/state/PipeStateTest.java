package dev.jobengine.master.internal.objects.state;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.PipeClosedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class PipeStateTest {
  private static final long A = 1;
  private static final long B = 2;
  private static final long C = 3;
  private static final int LEFT = 0;
  private static final int RIGHT = 1;

  private final PipeState pipe = new PipeState("pipe 'p'");

  private static Throwable failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.get(1, SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("not failed");
  }

  @Test
  void eachEndReceivesWhatTheOtherSentInOrder() throws Exception {
    pipe.send(A, LEFT, "l1");
    pipe.send(A, LEFT, "l2");
    pipe.send(B, RIGHT, "r1");
    assertThat(pipe.receive(B, RIGHT).get(1, SECONDS)).isEqualTo("l1");
    assertThat(pipe.receive(B, RIGHT).get(1, SECONDS)).isEqualTo("l2");
    assertThat(pipe.receive(A, LEFT).get(1, SECONDS)).isEqualTo("r1");
    assertThat(pipe.pending(LEFT)).isZero();
    assertThat(pipe.pending(RIGHT)).isZero();
  }

  @Test
  void aReceiveWaitsForTheNextSendAndAPollIsReadyThen() throws Exception {
    CompletableFuture<Object> r = pipe.receive(B, RIGHT);
    CompletableFuture<Boolean> p = pipe.poll(C, RIGHT, new CompletableFuture<>());
    assertThat(r).isNotDone();
    assertThat(p).isNotDone();
    assertThat(pipe.waiters()).isEqualTo(2);
    pipe.send(A, LEFT, "x");
    assertThat(r.get(1, SECONDS)).isEqualTo("x");
    assertThat(p.get(1, SECONDS)).isTrue();
    assertThat(pipe.waiters()).isZero();
  }

  @Test
  void whenItsOnlyHolderClosesAnEndThePeerDrainsThenGetsTheEnd() throws Exception {
    pipe.send(A, LEFT, "last");
    assertThat(pipe.receive(B, RIGHT).get(1, SECONDS)).isEqualTo("last");
    CompletableFuture<Object> blocked = pipe.receive(B, RIGHT);
    pipe.send(A, LEFT, "queued");
    assertThat(blocked.get(1, SECONDS)).isEqualTo("queued");
    pipe.send(A, LEFT, "before the close");
    pipe.close(A, LEFT);
    assertThat(pipe.isClosed(LEFT)).isTrue();
    assertThat(pipe.receive(B, RIGHT).get(1, SECONDS)).isEqualTo("before the close");
    assertThat(failure(pipe.receive(B, RIGHT)))
        .isInstanceOf(PipeClosedException.class)
        .hasMessageContaining("left end of pipe 'p' is closed");
    assertThat(pipe.poll(B, RIGHT, new CompletableFuture<>())).isCompletedWithValue(true);
    assertThatThrownBy(() -> pipe.send(C, LEFT, "late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("left end of pipe 'p' is closed");
    assertThatThrownBy(() -> pipe.send(B, RIGHT, "to nobody"))
        .as("a broken pipe: nobody can receive at the left end any more")
        .isInstanceOf(PipeClosedException.class)
        .hasMessageContaining("left end of pipe 'p' is closed");
  }

  @Test
  void aReceiveWaitingWhenThePeerClosesFailsAtOnce() {
    pipe.send(A, LEFT, "x");
    CompletableFuture<Object> drained = pipe.receive(B, RIGHT);
    CompletableFuture<Object> waiting = pipe.receive(B, RIGHT);
    CompletableFuture<Boolean> polling = pipe.poll(C, RIGHT, new CompletableFuture<>());
    pipe.close(A, LEFT);
    assertThat(drained).isCompletedWithValue("x");
    assertThat(failure(waiting)).isInstanceOf(PipeClosedException.class);
    assertThat(polling).isCompletedWithValue(true);
  }

  @Test
  void anEndClosesOnlyWhenEveryHolderClosedOrEnded() {
    pipe.send(A, LEFT, "a");
    pipe.send(C, LEFT, "c");
    pipe.close(A, LEFT);
    assertThat(pipe.isClosed(LEFT)).as("C still holds it").isFalse();
    assertThatThrownBy(() -> pipe.send(A, LEFT, "again"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("this process closed it");
    pipe.sessionEnded(C); // killed
    assertThat(pipe.isClosed(LEFT)).isTrue();
    assertThat(pipe.receive(B, RIGHT)).isCompletedWithValue("a");
    assertThat(pipe.receive(B, RIGHT)).isCompletedWithValue("c");
    assertThat(failure(pipe.receive(B, RIGHT))).isInstanceOf(PipeClosedException.class);
  }

  @Test
  void closingAnEndOneNeverUsedOnlyBarsOnesOwnUse() throws Exception {
    pipe.close(A, RIGHT); // Python's habit: the parent closes the child's end
    assertThat(pipe.isClosed(RIGHT)).isFalse();
    CompletableFuture<Object> child = pipe.receive(B, RIGHT);
    pipe.send(A, LEFT, "hello");
    assertThat(child.get(1, SECONDS)).isEqualTo("hello");
    assertThatThrownBy(() -> pipe.receive(A, RIGHT)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingAnEndEndsTheClosersOwnWaitsThere() {
    CompletableFuture<Object> waiting = pipe.receive(A, LEFT);
    CompletableFuture<Object> other = pipe.receive(B, LEFT);
    pipe.close(A, LEFT);
    assertThat(failure(waiting)).isInstanceOf(PipeClosedException.class).hasMessageContaining("closed while receiving");
    assertThat(other).isNotDone();
    assertThat(pipe.isClosed(LEFT)).as("B holds it").isFalse();
  }

  @Test
  void aCancelledReceiveLeavesNoWaiterAndLosesNothing() throws Exception {
    CompletableFuture<Object> r = pipe.receive(B, RIGHT);
    assertThat(r.cancel(false)).isTrue();
    assertThat(pipe.waiters()).isZero();
    pipe.send(A, LEFT, "kept");
    assertThat(pipe.pending(RIGHT)).isEqualTo(1);
    assertThat(pipe.receive(B, RIGHT).get(1, SECONDS)).isEqualTo("kept");
  }

  @Test
  void anItemGrantedToAReceiveCancelledInTimeGoesBackToTheFront() throws Exception {
    pipe.send(A, LEFT, "first");
    pipe.send(A, LEFT, "second");
    CancelledOnGrant<Object> racing = new CancelledOnGrant<>();
    pipe.receive(B, RIGHT, racing);
    assertThat(racing.completeCalls).isEqualTo(1);
    assertThat(racing).isCancelled();
    assertThat(pipe.receive(B, RIGHT).get(1, SECONDS)).isEqualTo("first");
    assertThat(pipe.receive(B, RIGHT).get(1, SECONDS)).isEqualTo("second");
  }

  @Test
  void aSessionEndingCancelsItsWaits() {
    CompletableFuture<Object> r = pipe.receive(B, RIGHT);
    CompletableFuture<Boolean> p = pipe.poll(B, LEFT, new CompletableFuture<>());
    pipe.sessionEnded(B);
    assertThat(r).isCancelled();
    assertThat(p).isCancelled();
    assertThat(pipe.waiters()).isZero();
    assertThat(pipe.isClosed(RIGHT)).as("B was its only holder").isTrue();
  }

  @Test
  void badEndsAndNullsAreRefused() {
    assertThatThrownBy(() -> pipe.send(A, 2, "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> pipe.send(A, LEFT, null)).isInstanceOf(NullPointerException.class);
  }
}

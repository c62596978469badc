package dev.jobengine.worker.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.proto.Revocation;
import dev.jobengine.proto.TaskAssignment;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OrderedTaskQueueTest {
  private final OrderedTaskQueue queue = new OrderedTaskQueue();
  private Thread taker;

  @AfterEach
  void stopTaker() throws InterruptedException {
    if (taker != null) {
      taker.interrupt();
      taker.join(10_000);
    }
  }

  private static TaskAssignment task(long seq) {
    return TaskAssignment.newBuilder().setSeq(seq).setTaskId(100 + seq).build();
  }

  /** Seq of the next task taken, or null when the queue ended. */
  private Long takeSeq() throws InterruptedException {
    TaskAssignment t = queue.take();
    return t == null ? null : t.getSeq();
  }

  /** Starts take() on another thread and returns once that thread is blocked waiting in it. */
  private CompletableFuture<Long> blockedTake() throws Exception {
    CompletableFuture<Long> taken = new CompletableFuture<>();
    taker = new Thread(() -> {
      try {
        taken.complete(takeSeq());
      } catch (Throwable t) {
        taken.completeExceptionally(t);
      }
    }, "test-taker");
    taker.setDaemon(true);
    taker.start();
    long deadline = System.nanoTime() + SECONDS.toNanos(10);
    while (taker.getState() != Thread.State.WAITING && !taken.isDone()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("take() neither returned nor blocked");
      }
      Thread.onSpinWait();
    }
    return taken;
  }

  @Test
  void handsOutInSeqOrderWhateverTheArrivalOrder() throws Exception {
    queue.add(task(3));
    queue.add(task(2));
    CompletableFuture<Long> first = blockedTake();
    assertThat(first).as("take() while seq 1 is missing").isNotDone();

    queue.add(task(1));
    assertThat(first.get(10, SECONDS)).isEqualTo(1L);
    assertThat(takeSeq()).isEqualTo(2L);
    assertThat(takeSeq()).isEqualTo(3L);
  }

  @Test
  void returnsTheWholeAssignment() throws Exception {
    queue.add(task(1));
    assertThat(queue.take()).isEqualTo(task(1));
  }

  @Test
  void shutdownHandsOutWhatIsHeldThenEnds() throws Exception {
    queue.add(task(2));
    queue.add(task(1));
    queue.shutdown();
    assertThat(takeSeq()).isEqualTo(1L);
    assertThat(takeSeq()).isEqualTo(2L);
    assertThat(takeSeq()).isNull();
    assertThat(takeSeq()).isNull();
  }

  @Test
  void shutdownWakesABlockedTake() throws Exception {
    CompletableFuture<Long> taken = blockedTake();
    queue.shutdown();
    assertThat(taken.get(10, SECONDS)).isNull();
  }

  @Test
  void abortEndsAtOnceEvenWithTasksHeld() throws Exception {
    queue.add(task(1));
    queue.add(task(2));
    queue.abort();
    assertThat(queue.isAborted()).isTrue();
    assertThat(takeSeq()).isNull();
  }

  @Test
  void abortWakesABlockedTake() throws Exception {
    queue.add(task(2));
    CompletableFuture<Long> taken = blockedTake();
    assertThat(queue.isAborted()).isFalse();
    queue.abort();
    assertThat(taken.get(10, SECONDS)).isNull();
  }

  @Test
  void rejectsADuplicateSeq() throws Exception {
    queue.add(task(1));
    queue.add(task(2));
    assertThatThrownBy(() -> queue.add(task(2))).isInstanceOf(IllegalStateException.class);
    assertThat(takeSeq()).isEqualTo(1L);
    assertThatThrownBy(() -> queue.add(task(1)))
        .as("seq already handed out")
        .isInstanceOf(IllegalStateException.class);
    assertThat(takeSeq()).isEqualTo(2L);
  }

  private static Revocation revocation(long seq) {
    return Revocation.newBuilder().setSeq(seq).setTaskId(100 + seq).build();
  }

  @Test
  void revokeGivesBackTasksNotHandedOutOnly() throws Exception {
    queue.add(task(1));
    queue.add(task(2));
    queue.add(task(3));
    assertThat(takeSeq()).isEqualTo(1L);
    assertThat(queue.revoke(List.of(revocation(1), revocation(3)))).containsExactly(103L);
    assertThat(takeSeq()).isEqualTo(2L);
    queue.shutdown();
    assertThat(takeSeq()).isNull();
  }

  @Test
  void aTaskRevokedBeforeItArrivesIsSkippedAndDroppedOnArrival() throws Exception {
    queue.add(task(1));
    assertThat(queue.revoke(List.of(revocation(2)))).containsExactly(102L);
    assertThat(takeSeq()).isEqualTo(1L);
    queue.add(task(3));
    assertThat(takeSeq()).as("seq 2 is skipped, not waited for").isEqualTo(3L);
    queue.add(task(2));
    queue.add(task(4));
    assertThat(takeSeq()).isEqualTo(4L);
  }

  @Test
  void revokedTasksLeaveNoGapThatBlocksLaterTasks() throws Exception {
    queue.add(task(1));
    queue.add(task(2));
    queue.add(task(3));
    assertThat(queue.revoke(List.of(revocation(2), revocation(3)))).containsExactly(102L, 103L);
    queue.add(task(4));
    assertThat(takeSeq()).isEqualTo(1L);
    assertThat(takeSeq()).isEqualTo(4L);
  }

  @Test
  void aBoundedTakeSaysWhenTheTaskInSequenceHasNotComeInTime() throws Exception {
    assertThat(queue.take(1_000_000)).as("nothing held").isSameAs(OrderedTaskQueue.NONE_YET);
    queue.add(task(2));
    assertThat(queue.take(1_000_000)).as("only a later task").isSameAs(OrderedTaskQueue.NONE_YET);
    queue.add(task(1));
    assertThat(queue.take(1_000_000).getSeq()).isEqualTo(1L);
    assertThat(queue.take(1_000_000).getSeq()).isEqualTo(2L);
    queue.revoke(List.of(Revocation.newBuilder().setSeq(3).setTaskId(103).build()));
    queue.add(task(4));
    assertThat(queue.take(1_000_000).getSeq()).as("the revoked one is skipped").isEqualTo(4L);
    queue.shutdown();
    assertThat(queue.take(1_000_000)).as("the end").isNull();
  }
}

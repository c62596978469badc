package dev.jobengine.master.internal.objects.state;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class QueueStateTest {
  private static final long A = 1;
  private static final long B = 2;
  private static final long C = 3;

  @Test
  void unboundedQueueIsFifoAndReportsItsShape() throws Exception {
    QueueState queue = new QueueState(0, false);
    assertThat(queue.maxsize()).isZero();
    assertThat(queue.joinable()).isFalse();
    assertThat(queue.remainingCapacity()).isEqualTo(Integer.MAX_VALUE);
    for (int i = 0; i < 5; i++) {
      assertThat(queue.put(A, i).isDone()).isTrue();
    }
    assertThat(queue.isFull()).isFalse();
    assertThat(queue.size()).isEqualTo(5);
    assertThat(queue.peek()).contains(0);
    assertThat(queue.snapshot()).containsExactly(0, 1, 2, 3, 4);
    assertThat(queue.take(B).get(5, SECONDS)).isEqualTo(0);
    assertThat(queue.poll(B)).contains(1);
    assertThat(queue.drain(B, 2)).containsExactly(2, 3);
    assertThat(queue.drain(B, 0)).isEmpty();
    assertThat(queue.drain(B, 10)).containsExactly(4);
    assertThat(queue.poll(B)).isEmpty();
    assertThat(queue.peek()).isEmpty();
    assertThat(new QueueState(-3, false).maxsize()).isZero();
  }

  @Test
  void nullItemsAreRejected() {
    QueueState queue = new QueueState(0, true);
    assertThatThrownBy(() -> queue.put(A, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> queue.offer(A, null)).isInstanceOf(NullPointerException.class);
    assertThat(queue.size()).isZero();
    assertThat(queue.unfinished()).isZero();
  }

  @Test
  void boundedQueueMakesPutsWaitInFifoOrder() throws Exception {
    QueueState queue = new QueueState(2, false);
    assertThat(queue.offer(A, "a")).isTrue();
    assertThat(queue.put(A, "b").isDone()).isTrue();
    assertThat(queue.isFull()).isTrue();
    assertThat(queue.remainingCapacity()).isZero();
    assertThat(queue.offer(A, "x")).isFalse();
    CompletableFuture<Void> c = queue.put(B, "c");
    CompletableFuture<Void> d = queue.put(C, "d");
    assertThat(c).isNotDone();
    assertThat(queue.waiters()).isEqualTo(2);
    assertThat(queue.offer(A, "y")).isFalse(); // puts are waiting

    assertThat(queue.take(A).get(5, SECONDS)).isEqualTo("a");
    assertThat(c).isDone();
    assertThat(d).isNotDone();
    assertThat(queue.poll(A)).contains("b");
    assertThat(d).isDone();
    assertThat(queue.snapshot()).containsExactly("c", "d");
    assertThat(queue.waiters()).isZero();
  }

  @Test
  void drainAdmitsWaitingPuts() {
    QueueState queue = new QueueState(2, false);
    queue.put(A, 1);
    queue.put(A, 2);
    CompletableFuture<Void> three = queue.put(A, 3);
    CompletableFuture<Void> four = queue.put(A, 4);
    CompletableFuture<Void> five = queue.put(A, 5);
    assertThat(queue.drain(B, 2)).containsExactly(1, 2);
    assertThat(three).isDone();
    assertThat(four).isDone();
    assertThat(five).isNotDone();
    assertThat(queue.snapshot()).containsExactly(3, 4);
  }

  @Test
  void takesWaitInFifoOrderAndPutsFeedThemDirectly() throws Exception {
    QueueState queue = new QueueState(1, false);
    CompletableFuture<Object> first = queue.take(A);
    CompletableFuture<Object> second = queue.take(B);
    CompletableFuture<Object> third = queue.take(C);
    assertThat(queue.waiters()).isEqualTo(3);
    queue.put(C, "x");
    assertThat(first.get(5, SECONDS)).isEqualTo("x");
    assertThat(queue.size()).isZero();
    assertThat(queue.offer(C, "y")).isTrue();
    queue.put(C, "z");
    assertThat(second.get(5, SECONDS)).isEqualTo("y");
    assertThat(third.get(5, SECONDS)).isEqualTo("z");
    assertThat(queue.waiters()).isZero();
  }

  @Test
  void cancelledTakeLeavesNoWaiterAndTakesNothing() throws Exception {
    QueueState queue = new QueueState(0, false);
    CompletableFuture<Object> gone = queue.take(A);
    CompletableFuture<Object> next = queue.take(B);
    assertThat(gone.cancel(false)).isTrue();
    assertThat(queue.waiters()).isEqualTo(1);
    queue.put(C, "x");
    assertThat(next.get(5, SECONDS)).isEqualTo("x");
    queue.put(C, "y");
    assertThat(queue.snapshot()).containsExactly("y");
    assertThat(queue.waiters()).isZero();
  }

  @Test
  void cancelledPutIsWithdrawn() {
    QueueState queue = new QueueState(1, true);
    queue.put(A, "a");
    CompletableFuture<Void> gone = queue.put(B, "b");
    CompletableFuture<Void> kept = queue.put(C, "c");
    assertThat(gone.cancel(false)).isTrue();
    assertThat(queue.waiters()).isEqualTo(1);
    assertThat(queue.unfinished()).isEqualTo(1);
    assertThat(queue.poll(A)).contains("a");
    assertThat(kept).isDone();
    assertThat(queue.snapshot()).containsExactly("c");
    assertThat(queue.unfinished()).isEqualTo(2);
    assertThat(queue.waiters()).isZero();
  }

  @Test
  void alreadyCancelledFuturesChangeNothing() {
    QueueState queue = new QueueState(1, false);
    CompletableFuture<Void> put = new CompletableFuture<>();
    put.cancel(false);
    assertThat(queue.put(A, "a", put)).isSameAs(put);
    assertThat(queue.size()).isZero();
    queue.put(A, "b");
    CompletableFuture<Object> take = new CompletableFuture<>();
    take.cancel(false);
    queue.take(A, take);
    assertThat(queue.snapshot()).containsExactly("b");
    assertThat(queue.waiters()).isZero();
  }

  @Test
  void plainQueueRejectsJoinableOperations() {
    QueueState queue = new QueueState(0, false);
    assertThatThrownBy(() -> queue.taskDone(A)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(queue::join).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(queue::unfinished).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void joinCompletesWhenEveryItemIsDone() throws Exception {
    QueueState queue = new QueueState(0, true);
    assertThat(queue.join()).isDone();
    queue.put(A, "a");
    queue.offer(A, "b");
    assertThat(queue.unfinished()).isEqualTo(2);
    CompletableFuture<Void> join = queue.join();
    CompletableFuture<Void> joinB = queue.join(B);
    assertThat(queue.take(B).get(5, SECONDS)).isEqualTo("a");
    assertThat(queue.poll(B)).contains("b");
    assertThat(queue.unfinished()).isEqualTo(2);
    queue.taskDone(B);
    assertThat(join).isNotDone();
    queue.taskDone(B);
    assertThat(join.get(5, SECONDS)).isNull();
    assertThat(joinB).isDone();
    assertThat(queue.unfinished()).isZero();
    assertThat(queue.waiters()).isZero();
    assertThatThrownBy(() -> queue.taskDone(B))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("taskDone() called more times than there were items");
  }

  @Test
  void taskDoneWithoutTakenItemsFailsEvenIfItemsAreQueued() {
    QueueState queue = new QueueState(0, true);
    queue.put(A, "a");
    assertThatThrownBy(() -> queue.taskDone(A)).isInstanceOf(IllegalStateException.class);
    assertThat(queue.unfinished()).isEqualTo(1);
  }

  @Test
  void taskDoneMarksTheSessionsOldestTakenItem() {
    QueueState queue = new QueueState(0, true);
    for (String item : List.of("a", "b", "c", "d")) {
      queue.put(C, item);
    }
    queue.take(A); // a
    queue.take(B); // b
    queue.poll(A); // c
    queue.drain(B, 1); // d
    queue.taskDone(A); // marks a
    queue.taskDone(B); // marks b
    queue.sessionEnded(A);
    assertThat(queue.snapshot()).containsExactly("c");
    queue.sessionEnded(B);
    assertThat(queue.snapshot()).containsExactly("d", "c");
    assertThat(queue.unfinished()).isEqualTo(2);
  }

  @Test
  void taskDoneFallsBackToTheOldestItemOfAnotherSession() {
    QueueState queue = new QueueState(0, true);
    for (String item : List.of("a", "b", "c")) {
      queue.put(C, item);
    }
    queue.take(A); // a
    queue.take(B); // b
    queue.take(A); // c
    queue.taskDone(C); // C took nothing: marks the oldest overall, a (A's)
    queue.sessionEnded(A);
    queue.sessionEnded(B);
    assertThat(queue.snapshot()).containsExactly("b", "c");
    assertThat(queue.unfinished()).isEqualTo(2);
  }

  @Test
  void endedSessionsTakenItemsGoBackToTheFrontInOrder() throws Exception {
    QueueState queue = new QueueState(2, true);
    queue.put(C, "a");
    queue.put(C, "b");
    assertThat(queue.take(A).get(5, SECONDS)).isEqualTo("a");
    assertThat(queue.take(A).get(5, SECONDS)).isEqualTo("b");
    queue.put(C, "c");
    queue.put(C, "d");
    assertThat(queue.take(A).get(5, SECONDS)).isEqualTo("c");
    queue.taskDone(A); // a is done
    queue.put(C, "e");
    CompletableFuture<Void> join = queue.join();
    assertThat(queue.unfinished()).isEqualTo(4);

    queue.sessionEnded(A);
    assertThat(queue.snapshot()).containsExactly("b", "c", "d", "e");
    assertThat(queue.unfinished()).isEqualTo(4);
    assertThat(queue.isFull()).isTrue();
    assertThat(queue.remainingCapacity()).isZero();
    assertThat(queue.offer(C, "f")).isFalse();
    assertThat(join).isNotDone();

    assertThat(queue.drain(B, 10)).containsExactly("b", "c", "d", "e");
    for (int i = 0; i < 3; i++) {
      queue.taskDone(B);
    }
    assertThat(join).isNotDone();
    queue.taskDone(B);
    assertThat(join.get(5, SECONDS)).isNull();
  }

  @Test
  void endedSessionsItemsFeedWaitingTakers() throws Exception {
    QueueState queue = new QueueState(0, true);
    queue.put(C, "a");
    queue.poll(A);
    CompletableFuture<Object> waiting = queue.take(B);
    queue.sessionEnded(A);
    assertThat(waiting.get(5, SECONDS)).isEqualTo("a");
    assertThat(queue.unfinished()).isEqualTo(1);
    queue.taskDone(B);
    assertThat(queue.unfinished()).isZero();
  }

  @Test
  void sessionEndedCancelsOnlyThatSessionsWaiters() {
    QueueState queue = new QueueState(1, true);
    CompletableFuture<Object> takeA = queue.take(A);
    CompletableFuture<Object> takeB = queue.take(B);
    queue.sessionEnded(A);
    assertThat(takeA).isCancelled();
    assertThat(queue.waiters()).isEqualTo(1);
    queue.put(C, "x");
    assertThat(takeB).isCompletedWithValue("x");
    queue.put(C, "y");
    CompletableFuture<Void> putA = queue.put(A, "z");
    CompletableFuture<Void> putB = queue.put(B, "w");
    CompletableFuture<Void> joinA = queue.join(A);
    CompletableFuture<Void> joinAll = queue.join();
    queue.sessionEnded(A);
    assertThat(putA).isCancelled();
    assertThat(joinA).isCancelled();
    assertThat(putB).isNotDone();
    assertThat(joinAll).isNotDone();
    assertThat(queue.waiters()).isEqualTo(2);
    assertThat(queue.poll(C)).contains("y");
    assertThat(queue.snapshot()).containsExactly("w");
  }

  @Test
  void sessionEndedOnAPlainQueueGivesNothingBack() {
    QueueState queue = new QueueState(0, false);
    queue.put(C, "a");
    queue.poll(A);
    queue.sessionEnded(A);
    assertThat(queue.size()).isZero();
  }

  @Test
  void raceTakeCancelledAfterGrantPutsTheItemBackForTheNextWaiter() throws Exception {
    QueueState queue = new QueueState(0, true);
    CancelledOnGrant<Object> racy = new CancelledOnGrant<>();
    queue.take(A, racy);
    CompletableFuture<Object> next = queue.take(B);
    queue.put(C, "x");
    assertThat(racy.completeCalls).isEqualTo(1);
    assertThat(racy).isCancelled();
    assertThat(next.get(5, SECONDS)).isEqualTo("x");
    assertThat(queue.waiters()).isZero();
    assertThat(queue.unfinished()).isEqualTo(1);
    queue.sessionEnded(A); // A holds nothing
    assertThat(queue.size()).isZero();
    queue.taskDone(B);
    assertThat(queue.join()).isDone();
  }

  @Test
  void raceTakeCancelledAfterGrantPutsTheItemBackAtTheFront() {
    QueueState queue = new QueueState(0, false);
    CancelledOnGrant<Object> racy = new CancelledOnGrant<>();
    queue.take(A, racy);
    queue.put(C, "x");
    queue.put(C, "y");
    assertThat(racy).isCancelled();
    assertThat(queue.poll(B)).contains("x");
    assertThat(queue.poll(B)).contains("y");
    // a non-blocking-looking take whose future refuses its immediate grant
    queue.put(C, "z");
    queue.take(A, new CancelledOnGrant<>());
    assertThat(queue.snapshot()).containsExactly("z");
  }

  @Test
  void raceCancelledFromADependentStageOfAnotherGrant() throws Exception {
    QueueState queue = new QueueState(0, true);
    queue.put(C, "a");
    queue.put(C, "b");
    queue.drain(A, 2);
    CompletableFuture<Object> first = queue.take(B);
    CompletableFuture<Object> second = queue.take(C);
    // both are granted in one batch; completing the first cancels the second before its turn
    first.thenRun(() -> second.cancel(false));
    queue.sessionEnded(A);
    assertThat(first.get(5, SECONDS)).isEqualTo("a");
    assertThat(second).isCancelled();
    assertThat(queue.snapshot()).containsExactly("b");
    assertThat(queue.waiters()).isZero();
    assertThat(queue.unfinished()).isEqualTo(2);
    assertThat(queue.poll(C)).contains("b");
    queue.taskDone(B);
    queue.taskDone(C);
    assertThat(queue.join()).isDone();
  }

  @Test
  void raceAdmittedPutCancelledInTimeIsWithdrawnAndTheNextPutAdmitted() {
    QueueState queue = new QueueState(1, true);
    queue.put(C, "a");
    CancelledOnGrant<Void> racy = new CancelledOnGrant<>();
    queue.put(A, "b", racy);
    CompletableFuture<Void> next = queue.put(B, "c");
    assertThat(queue.poll(C)).contains("a");
    assertThat(racy).isCancelled();
    assertThat(next).isDone();
    assertThat(queue.snapshot()).containsExactly("c");
    assertThat(queue.unfinished()).isEqualTo(2); // a (taken) and c
    assertThat(queue.waiters()).isZero();
  }

  @Test
  void raceTakeRefusedAfterAnotherSessionsTaskDoneClaimedIt() throws Exception {
    QueueState queue = new QueueState(0, true);
    CompletableFuture<Object> claimedBy = new CompletableFuture<>();
    CompletableFuture<Object> racy =
        new CompletableFuture<>() {
          @Override
          public boolean complete(Object value) {
            // between the grant and the completion, another session marks a task done: A's
            queue.taskDone(B);
            cancel(false);
            return super.complete(value);
          }
        };
    queue.take(A, racy);
    queue.put(C, "x");
    assertThat(racy).isCancelled();
    assertThat(queue.snapshot()).containsExactly("x");
    assertThat(queue.unfinished()).isEqualTo(1); // the item is unfinished again
    queue.take(B, claimedBy);
    assertThat(claimedBy.get(5, SECONDS)).isEqualTo("x");
  }

  @Test
  void raceTaskDoneThatMarkedTheUndeliveredItemMovesToTheSessionsNextItem() {
    QueueState queue = new QueueState(0, true);
    CompletableFuture<Object> racy =
        new CompletableFuture<>() {
          @Override
          public boolean complete(Object value) {
            // between the grant of x and its completion, another thread of A polls y and marks
            // it done: the oldest item A took is x, so taskDone() marks x's record
            queue.put(C, "y");
            assertThat(queue.poll(A)).contains("y");
            queue.taskDone(A);
            cancel(false);
            return super.complete(value);
          }
        };
    queue.take(A, racy);
    queue.put(C, "x");
    assertThat(racy).isCancelled();
    assertThat(queue.snapshot()).containsExactly("x");
    assertThat(queue.unfinished()).isEqualTo(1); // only x: y's mark moved onto it
    queue.sessionEnded(A); // A has nothing outstanding
    assertThat(queue.snapshot()).containsExactly("x");
    assertThat(queue.poll(B)).contains("x");
    queue.taskDone(B);
    assertThat(queue.join()).isDone();
  }

  @Test
  void giveBackReturnsAnUndeliveredItemToTheFront() throws Exception {
    QueueState queue = new QueueState(1, false);
    queue.put(C, "a");
    Object a = queue.take(A).get(5, SECONDS);
    queue.put(C, "b");
    queue.giveBack(A, a);
    assertThat(queue.snapshot()).containsExactly("a", "b");
    assertThatThrownBy(() -> queue.giveBack(A, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void giveBackOnAJoinableQueueLeavesTheSessionsTakenItems() throws Exception {
    QueueState queue = new QueueState(0, true);
    queue.put(C, "a");
    queue.put(C, "b");
    queue.put(C, "c");
    queue.drain(A, 2);
    CompletableFuture<Object> waiting = queue.take(B);
    assertThat(waiting.get(5, SECONDS)).isEqualTo("c");
    queue.giveBack(A, new String("b")); // an equal item is found too
    assertThat(queue.snapshot()).containsExactly("b");
    assertThat(queue.unfinished()).isEqualTo(3);
    queue.sessionEnded(A);
    assertThat(queue.snapshot()).containsExactly("a", "b");
    queue.giveBack(A, "a"); // A no longer has it: already back, nothing changes
    queue.giveBack(B, "x"); // B never took it
    assertThat(queue.snapshot()).containsExactly("a", "b");
    CompletableFuture<Object> next = queue.take(C);
    queue.drain(C, 5);
    queue.giveBack(B, "c");
    assertThat(next).isCompletedWithValue("a");
    assertThat(queue.snapshot()).containsExactly("c");
    assertThat(queue.unfinished()).isEqualTo(3);
  }

  @Test
  void stressPlainQueue() throws Exception {
    stress(new QueueState(8, false));
  }

  @Test
  void stressJoinableQueue() throws Exception {
    stress(new QueueState(8, true));
  }

  private static final class Seen {
    final List<Object> attempted = new ArrayList<>();
    final List<Object> succeeded = new ArrayList<>();
    final List<Object> received = new ArrayList<>();
    final List<CompletableFuture<Void>> puts = new ArrayList<>();
    final List<Object> putItems = new ArrayList<>();
    final List<CompletableFuture<Object>> takes = new ArrayList<>();
  }

  private static void stress(QueueState queue) throws Exception {
    Set<CompletableFuture<Object>> observed = ConcurrentHashMap.newKeySet();
    List<Seen> all =
        Stress.run(
            Stress.THREADS,
            thread -> {
              long session = thread + 1;
              Random random = new Random(thread * 31L + 7);
              Seen seen = new Seen();
              for (int i = 0; i < Stress.OPS; i++) {
                String item = thread + "-" + i;
                int op = random.nextInt(100);
                if (op < 35) {
                  CompletableFuture<Void> put = queue.put(session, item);
                  seen.attempted.add(item);
                  seen.puts.add(put);
                  seen.putItems.add(item);
                  if (random.nextInt(3) == 0) {
                    put.cancel(false);
                  }
                } else if (op < 70) {
                  CompletableFuture<Object> take = queue.take(session);
                  seen.takes.add(take);
                  if (random.nextInt(3) == 0) {
                    take.cancel(false);
                  }
                } else if (op < 80) {
                  queue.poll(session).ifPresent(x -> received(queue, session, seen, x));
                } else if (op < 85) {
                  queue.drain(session, 3).forEach(x -> received(queue, session, seen, x));
                } else if (op < 92) {
                  if (queue.offer(session, item)) {
                    seen.attempted.add(item);
                    seen.succeeded.add(item);
                  }
                } else {
                  queue.peek();
                  assertThat(queue.snapshot().size()).isLessThanOrEqualTo(queue.maxsize() + 8);
                }
                // observe this thread's completed takes
                for (CompletableFuture<Object> take : seen.takes) {
                  if (take.isDone() && !take.isCancelled() && observed.add(take)) {
                    received(queue, session, seen, take.join());
                  }
                }
              }
              return seen;
            });
    // wind down: withdraw everything still pending, then empty the queue
    for (Seen seen : all) {
      seen.takes.forEach(f -> f.cancel(false));
      seen.puts.forEach(f -> f.cancel(false));
    }
    assertThat(queue.waiters()).isZero();
    List<Object> received = new ArrayList<>();
    for (int t = 0; t < all.size(); t++) {
      Seen seen = all.get(t);
      for (int i = 0; i < seen.puts.size(); i++) {
        CompletableFuture<Void> put = seen.puts.get(i);
        if (!put.isCancelled()) {
          seen.succeeded.add(seen.putItems.get(i));
        }
      }
      for (CompletableFuture<Object> take : seen.takes) {
        if (!take.isCancelled() && observed.add(take)) {
          received(queue, t + 1, seen, take.join());
        }
      }
      received.addAll(seen.received);
    }
    List<Object> rest = queue.drain(0, Integer.MAX_VALUE);
    received.addAll(rest);
    Set<Object> unique = new HashSet<>(received);
    assertThat(unique).hasSameSizeAs(received); // nothing delivered twice
    Set<Object> attempted = new HashSet<>();
    Set<Object> succeeded = new HashSet<>();
    all.forEach(
        s -> {
          attempted.addAll(s.attempted);
          succeeded.addAll(s.succeeded);
        });
    assertThat(attempted).containsAll(unique); // nothing invented
    assertThat(unique).containsAll(succeeded); // nothing lost
    assertThat(queue.size()).isZero();
    assertThat(queue.waiters()).isZero();
    if (queue.joinable()) {
      assertThat(queue.unfinished()).isEqualTo(rest.size());
      rest.forEach(x -> queue.taskDone(0));
      assertThat(queue.unfinished()).isZero();
      assertThat(queue.join()).isDone();
      assertThatThrownBy(() -> queue.taskDone(0)).isInstanceOf(IllegalStateException.class);
    }
  }

  private static void received(QueueState queue, long session, Seen seen, Object item) {
    seen.received.add(item);
    if (queue.joinable()) {
      queue.taskDone(session);
    }
  }

  @Test
  void optionalOfHeadIsEmptyOnEmptyQueue() {
    assertThat(new QueueState(0, false).peek()).isEqualTo(Optional.empty());
  }

  @Test
  void readAheadItemsNotConsumedGoBackInOrderWhenReturnedOrWhenTheSessionEnds() throws Exception {
    QueueState queue = new QueueState(0, false);
    for (int i = 0; i < 6; i++) {
      queue.put(C, "i" + i);
    }
    assertThat(queue.take(A).get(5, SECONDS)).isEqualTo("i0");
    assertThat(queue.readAhead(A, 3)).containsExactly("i1", "i2", "i3");
    assertThat(queue.snapshot()).containsExactly("i4", "i5");
    queue.consumed(A, 1); // i1 handed out
    queue.returned(A, List.of("i3")); // gives back one of the two left
    assertThat(queue.snapshot()).containsExactly("i3", "i4", "i5");
    queue.sessionEnded(A); // i2 was never reported consumed: back at the front
    assertThat(queue.snapshot()).containsExactly("i2", "i3", "i4", "i5");
    queue.sessionEnded(A);
    queue.returned(A, List.of("i2"));
    assertThat(queue.snapshot()).as("nothing given back twice").containsExactly("i2", "i3", "i4", "i5");
    assertThat(queue.readAhead(B, 10)).containsExactly("i2", "i3", "i4", "i5");
    queue.consumed(B, 4);
    queue.sessionEnded(B);
    assertThat(queue.size()).as("consumed items never come back").isZero();
  }

  @Test
  void readAheadOnAJoinableQueueCountsAsTakenUntilDoneOrGivenBack() throws Exception {
    QueueState queue = new QueueState(0, true);
    for (int i = 0; i < 4; i++) {
      queue.put(C, i);
    }
    assertThat(queue.take(A).get(5, SECONDS)).isEqualTo(0);
    assertThat(queue.readAhead(A, 8)).containsExactly(1, 2, 3);
    assertThat(queue.unfinished()).isEqualTo(4);
    queue.taskDone(A);
    queue.taskDone(A);
    queue.returned(A, List.of(3));
    assertThat(queue.snapshot()).containsExactly(3);
    assertThat(queue.unfinished()).isEqualTo(2);
    queue.sessionEnded(A); // item 2 was taken and not marked done
    assertThat(queue.snapshot()).containsExactly(2, 3);
    assertThat(queue.unfinished()).isEqualTo(2);
  }

  @Test
  void aReturnedItemGoesBackBeforeNewerItemsOnlyNeverBeforeOlderOnes() throws Exception {
    QueueState queue = new QueueState(0, false);
    for (int i = 0; i < 6; i++) {
      queue.put(C, "i" + i);
    }
    assertThat(queue.take(A).get(5, SECONDS)).isEqualTo("i0");
    assertThat(queue.readAhead(A, 2)).containsExactly("i1", "i2");
    assertThat(queue.take(B).get(5, SECONDS)).isEqualTo("i3");
    assertThat(queue.readAhead(B, 1)).containsExactly("i4");
    queue.returned(A, List.of("i1", "i2"));
    queue.returned(B, List.of("i4")); // e.g. a sentinel: it must not overtake i1 and i2
    assertThat(queue.snapshot()).containsExactly("i1", "i2", "i4", "i5");
  }

  @Test
  void aBatchOfPutsGoesInInOrderAndFeedsAWaitingTakeAtOnce() throws Exception {
    QueueState queue = new QueueState(0, false);
    CompletableFuture<Object> waiting = queue.take(B);
    queue.putAll(A, List.of("a1", "a2", "a3"));
    assertThat(waiting.get(5, SECONDS)).as("the waiter gets the batch's first").isEqualTo("a1");
    queue.put(C, "c1");
    queue.putAll(A, List.of("a4", "a5"));
    assertThat(queue.snapshot()).containsExactly("a2", "a3", "c1", "a4", "a5");
    assertThat(queue.readAhead(B, 10)).containsExactly("a2", "a3", "c1", "a4", "a5");
  }

  @Test
  void aBatchOfPutsCountsEveryItemUnfinishedOnAJoinableQueue() throws Exception {
    QueueState queue = new QueueState(0, true);
    queue.putAll(A, List.of(1, 2, 3));
    assertThat(queue.unfinished()).isEqualTo(3);
    CompletableFuture<Void> join = queue.join();
    assertThat(queue.drain(B, 3)).containsExactly(1, 2, 3);
    queue.taskDone(B);
    queue.taskDone(B);
    assertThat(join).isNotDone();
    queue.taskDone(B);
    join.get(5, SECONDS);
  }

  @Test
  void aBatchOfPutsNeedsAnUnboundedQueueAndTakesNoNull() {
    QueueState bounded = new QueueState(2, false);
    assertThatThrownBy(() -> bounded.putAll(A, List.of(1))).isInstanceOf(IllegalStateException.class);
    QueueState queue = new QueueState(0, true);
    List<Object> withNull = new ArrayList<>(List.of(1));
    withNull.add(null);
    assertThatThrownBy(() -> queue.putAll(A, withNull)).isInstanceOf(NullPointerException.class);
    assertThat(queue.size()).as("nothing of a refused batch goes in").isZero();
    assertThat(queue.unfinished()).isZero();
  }

  @Test
  void batchesFromSeveralProducersKeepEachOnesOrder() throws Exception {
    QueueState queue = new QueueState(0, false);
    int producers = 4;
    int batches = 200;
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      long session = 10 + p;
      threads.add(new Thread(() -> {
        for (int b = 0; b < batches; b++) {
          List<Object> batch = new ArrayList<>();
          for (int i = 0; i < 1 + b % 7; i++) {
            batch.add(session * 1_000_000 + b * 10 + i);
          }
          queue.putAll(session, batch);
        }
      }));
    }
    threads.forEach(Thread::start);
    List<Object> got = new ArrayList<>();
    int expected = 0;
    for (int b = 0; b < batches; b++) {
      expected += 1 + b % 7;
    }
    expected *= producers;
    while (got.size() < expected) {
      got.add(queue.take(B).get(5, SECONDS));
      got.addAll(queue.readAhead(B, 5));
    }
    for (Thread t : threads) {
      t.join(5_000);
    }
    long[] last = new long[producers];
    java.util.Arrays.fill(last, -1);
    for (Object o : got) {
      long v = (Long) o;
      int p = (int) (v / 1_000_000 - 10);
      assertThat(v % 1_000_000).as("producer %d in order", p).isGreaterThan(last[p]);
      last[p] = v % 1_000_000;
    }
    assertThat(new HashSet<>(got)).hasSize(expected);
  }

  @Test
  void readAheadStopsBeforeItsByteBudget() throws Exception {
    QueueState queue = new QueueState(0, false);
    queue.putAll(A, List.of("aaaa", "bbbb", "cccc", "dddd"));
    assertThat(queue.readAhead(B, 10, 9, item -> ((String) item).length())).containsExactly("aaaa", "bbbb");
    assertThat(queue.readAhead(B, 10, 2, item -> ((String) item).length())).as("none fits").isEmpty();
    assertThat(queue.snapshot()).containsExactly("cccc", "dddd");
    queue.sessionEnded(B);
    assertThat(queue.snapshot()).as("leased items come back first").containsExactly("aaaa", "bbbb", "cccc", "dddd");
  }
}

package dev.jobengine.master.internal.objects.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Each state's summary: what a status report shows of it. */
class SummaryTest {
  private static final long A = 1;
  private static final long B = 2;

  @Test
  void aQueueCountsItemsWaitersAndWhatEachSessionTook() {
    QueueState plain = new QueueState(2, false);
    plain.put(A, "x");
    plain.put(A, "y");
    CompletableFuture<Void> blocked = plain.put(B, "z");
    assertThat(blocked).isNotDone();
    Summary s = plain.summary();
    assertThat(s.items()).isEqualTo(2);
    assertThat(s.waiters()).isEqualTo(1);
    assertThat(s.holders()).isEmpty();
    assertThat(s.counts()).containsExactly(entry("put_waiters", 1L), entry("take_waiters", 0L));
    plain.take(A);
    plain.readAhead(B, 2);
    assertThat(plain.summary().holders()).containsExactly(entry(B, 2L));

    QueueState joinable = new QueueState(0, true);
    joinable.put(A, 1);
    joinable.put(A, 2);
    joinable.put(A, 3);
    joinable.take(B);
    joinable.take(B);
    joinable.take(A);
    joinable.taskDone(A);
    Summary j = joinable.summary();
    assertThat(j.items()).isZero();
    assertThat(j.holders()).containsExactly(entry(B, 2L));
    assertThat(j.counts()).containsEntry("unfinished", 2L).containsEntry("join_waiters", 0L);
  }

  @Test
  void aLockShowsItsOwnerAndHolds() {
    LockState lock = new LockState(true);
    assertThat(lock.summary().holders()).isEmpty();
    lock.acquire(A);
    lock.acquire(A);
    lock.acquire(B);
    Summary s = lock.summary();
    assertThat(s.holders()).containsExactly(entry(A, 2L));
    assertThat(s.waiters()).isEqualTo(1);
    assertThat(s.items()).isEqualTo(-1);
  }

  @Test
  void aSemaphoreShowsPermitsHeldPerSessionAndThoseAvailable() {
    SemaphoreState sem = new SemaphoreState(3, false);
    sem.acquire(B);
    sem.acquire(A);
    sem.acquire(B);
    Summary s = sem.summary();
    assertThat(s.holders()).containsExactly(entry(A, 1L), entry(B, 2L)); // in session order
    assertThat(s.counts()).containsExactly(entry("available", 0L));
  }

  @Test
  void eventsBarriersMapsListsAndPipes() {
    EventState event = new EventState();
    event.await(A);
    assertThat(event.summary().counts()).containsExactly(entry("set", 0L));
    assertThat(event.summary().waiters()).isEqualTo(1);
    event.set();
    assertThat(event.summary().counts()).containsExactly(entry("set", 1L));
    assertThat(event.summary().waiters()).isZero();

    BarrierState barrier = new BarrierState(3);
    barrier.await(A);
    assertThat(barrier.summary().waiters()).isEqualTo(1);
    assertThat(barrier.summary().counts()).containsExactly(entry("broken", 0L));

    MapState map = new MapState();
    map.put("k", "v");
    assertThat(map.summary().items()).isEqualTo(1);
    ListState list = new ListState();
    list.add(-1, "a");
    list.add(-1, "b");
    assertThat(list.summary().items()).isEqualTo(2);

    PipeState pipe = new PipeState("pipe 'p'");
    pipe.send(A, 0, "hello");
    pipe.receive(B, 0);
    Summary p = pipe.summary();
    assertThat(p.items()).isEqualTo(1);
    assertThat(p.waiters()).isEqualTo(1);
    assertThat(p.holders()).containsExactly(entry(A, 1L), entry(B, 1L));
    assertThat(p.counts()).containsEntry("right_items", 1L).containsEntry("left_items", 0L)
        .containsEntry("left_closed", 0L);
  }
}

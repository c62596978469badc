package dev.jobengine.master.internal.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.JobEngineException;
import dev.jobengine.SharedEvent;
import dev.jobengine.SharedLock;
import dev.jobengine.SharedQueue;
import dev.jobengine.core.objects.SharedObjectEngine;
import dev.jobengine.master.contract.ObjectsFixture;
import dev.jobengine.master.internal.objects.state.LockState;
import dev.jobengine.master.internal.objects.state.QueueState;
import dev.jobengine.proto.Invocation.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker's access to the shared objects (its Session stream, read-ahead, sends without waiting)
 * against the real ObjectsGrpcService, over grpc-java's in-process transport.
 */
class RemoteObjectAccessTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final ObjectsFixture fixture = new ObjectsFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  private static boolean await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5); // polling interval of a bounded wait
    }
    return true;
  }

  /** A thread blocked in {@code q.take()}; {@code outcome} gets what it threw (null if none). */
  private static Thread taking(SharedQueue<Integer> q, CompletableFuture<Throwable> outcome) {
    Thread taker = new Thread(() -> {
      try {
        q.take();
        outcome.complete(null);
      } catch (Throwable t) {
        outcome.complete(t);
      }
    });
    taker.start();
    return taker;
  }

  private QueueState queueState(String name) {
    return (QueueState) fixture.registry().entries().stream()
        .filter(e -> e.name().equals(name)).findFirst().orElseThrow().state();
  }

  @Test
  void whatAConsumerReadAheadComesBackInOrderOnceItStopsTaking() throws Exception {
    SharedQueue<Integer> master = fixture.local().queue("q");
    for (int i = 0; i < 10; i++) {
      master.put(i);
    }
    SharedQueue<Integer> worker = fixture.remote(1).queue("q");
    assertThat(worker.take()).isEqualTo(0);
    // the other nine went to the worker with its take, and come back once it stops taking
    assertThat(await(() -> queueState("q").size() == 9)).as("given back when idle").isTrue();
    assertThat(master.take()).as("in order, at the front").isEqualTo(1);
  }

  @Test
  void sendsWithoutWaitingArePerformedInOrderBeforeTheNextWaitingCall() throws Exception {
    SharedObjectEngine worker = fixture.remote(1);
    SharedQueue<Integer> q = worker.queue("unbounded");
    for (int i = 0; i < 10_000; i++) {
      q.put(i); // no answer awaited: acknowledged in bulk
    }
    assertThat(q.size()).isEqualTo(10_000);
    assertThat(fixture.local().<Integer>queue("unbounded").peek()).isZero();
  }

  @Test
  void anInterruptedWaitIsWithdrawnAndLosesNothing() throws Exception {
    SharedQueue<Integer> q = fixture.remote(1).queue("interrupted");
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread taker = taking(q, outcome);
    assertThat(await(() -> queueState("interrupted").waiters() == 1)).isTrue();
    taker.interrupt();
    assertThat(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThat(queueState("interrupted").waiters()).isZero();
    fixture.local().<Integer>queue("interrupted").put(7);
    assertThat(queueState("interrupted").size()).as("the put went to the queue, not the withdrawn take").isEqualTo(1);
  }

  @Test
  void aLockReleaseFromTheHolderDoesNotWaitButAnExtraOneStillFails() throws Exception {
    SharedLock lock = fixture.remote(1).lock("l");
    lock.lock();
    lock.unlock();
    assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
    LockState state = (LockState) fixture.registry().entries().get(0).state();
    assertThat(state.isLocked()).isFalse();
  }

  @Test
  void whenTheStreamEndsTheMasterWithdrawsTheSessionsWaitsAndTheCallerHearsOfIt() throws Exception {
    SharedQueue<Integer> q = fixture.remote(1).queue("blocked");
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    taking(q, outcome);
    assertThat(await(() -> queueState("blocked").waiters() == 1)).isTrue();
    fixture.close();
    assertThat(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(JobEngineException.class)
        .hasMessageContaining("connection to the master is lost");
    assertThat(queueState("blocked").waiters()).as("the wait was withdrawn").isZero();
  }

  /** Puts into the master's queue {@code name} from a worker whose calls are in flight for a while. */
  @Test
  void putsInBurstsArriveInOrderBeforeEveryLaterCallAndTravelInBatches() throws Exception {
    try (ObjectsFixture async = new ObjectsFixture(true)) {
      SharedObjectEngine worker = async.remote(1);
      SharedQueue<Integer> q = worker.queue("bursts");
      SharedEvent done = worker.event("burst-done");
      SharedQueue<Integer> master = async.local().queue("bursts");
      SharedEvent seen = async.local().event("burst-done");
      long puts0 = ObjectsGrpcService.messageCounts()[1 + Op.PUT_ALL_VALUE];
      int total = 0;
      for (int burst = 1; burst <= 20; burst++) {
        for (int i = 0; i < burst * 50; i++) {
          q.put(total++);
        }
        assertThat(q.size()).as("size() after burst %d sees every put before it", burst).isEqualTo(total);
      }
      for (int i = 0; i < 5_000; i++) {
        q.put(total++);
      }
      done.set(); // a send without an answer: it must not overtake the puts either
      assertThat(seen.await(WAIT)).isTrue();
      assertThat(master.size()).as("all there once the event that follows them is set").isEqualTo(total);
      List<Integer> got = new ArrayList<>();
      master.drainTo(got);
      assertThat(got).isEqualTo(IntStream.range(0, total).boxed().toList());
      long batches = ObjectsGrpcService.messageCounts()[1 + Op.PUT_ALL_VALUE] - puts0;
      assertThat(batches).as("puts that came while one was in flight went together").isLessThan(total);
    }
  }

  @Test
  void producerThreadsPuttingIntoTwoQueuesKeepEachOnesOrderAndLoseNothing() throws Exception {
    try (ObjectsFixture async = new ObjectsFixture(true)) {
      SharedObjectEngine worker = async.remote(1);
      SharedQueue<Long> q1 = worker.queue("q1");
      SharedQueue<Long> q2 = worker.queue("q2");
      int threads = 3;
      int perThread = 4_000;
      List<Thread> producers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long tag = t;
        producers.add(new Thread(() -> {
          for (int i = 0; i < perThread; i++) {
            (i % 3 == 0 ? q2 : q1).add(tag << 32 | i);
          }
        }));
      }
      producers.forEach(Thread::start);
      for (Thread t : producers) {
        t.join(WAIT.toMillis());
        assertThat(t.isAlive()).isFalse();
      }
      worker.queue("q1").size(); // a call after the puts: they are all performed
      int count = 0;
      for (String name : List.of("q1", "q2")) {
        List<Long> got = new ArrayList<>();
        async.local().<Long>queue(name).drainTo(got);
        long[] last = new long[threads];
        java.util.Arrays.fill(last, -1);
        for (long v : got) {
          int t = (int) (v >>> 32);
          long i = v & 0xffffffffL;
          assertThat(i).as("thread %d's puts into %s in order", t, name).isGreaterThan(last[t]);
          assertThat(i % 3 == 0).as("in the queue it was put into").isEqualTo(name.equals("q2"));
          last[t] = i;
        }
        assertThat(new java.util.HashSet<>(got)).hasSameSizeAs(got);
        count += got.size();
      }
      assertThat(count).isEqualTo(threads * perThread);
    }
  }

  @Test
  void aBatchedPutIsTakenByAConsumerAlreadyWaiting() throws Exception {
    try (ObjectsFixture async = new ObjectsFixture(true)) {
      SharedQueue<Integer> consumer = async.remote(2).queue("waited");
      SharedQueue<Integer> producer = async.remote(1).queue("waited");
      CompletableFuture<List<Integer>> taken = CompletableFuture.supplyAsync(() -> {
        List<Integer> got = new ArrayList<>();
        try {
          for (int i = 0; i < 3_000; i++) {
            got.add(consumer.take());
          }
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return got;
      });
      assertThat(await(() -> queueStateOf(async, "waited").waiters() == 1)).isTrue();
      for (int i = 0; i < 3_000; i++) {
        producer.put(i);
      }
      assertThat(taken.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(IntStream.range(0, 3_000).boxed().toList());
    }
  }

  private static QueueState queueStateOf(ObjectsFixture f, String name) {
    return (QueueState) f.registry().entries().stream()
        .filter(e -> e.name().equals(name)).findFirst().orElseThrow().state();
  }
}

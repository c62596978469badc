package dev.jobengine.master.internal.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.JobEngineException;
import dev.jobengine.SharedLock;
import dev.jobengine.SharedQueue;
import dev.jobengine.core.objects.SharedObjectEngine;
import dev.jobengine.master.contract.ObjectsFixture;
import dev.jobengine.master.internal.objects.state.LockState;
import dev.jobengine.master.internal.objects.state.QueueState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
}

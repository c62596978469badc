package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.JoinableQueue;
import dev.jobengine.Pool;
import dev.jobengine.RemoteTaskException;
import dev.jobengine.SharedBarrier;
import dev.jobengine.SharedEvent;
import dev.jobengine.SharedList;
import dev.jobengine.SharedLock;
import dev.jobengine.SharedMap;
import dev.jobengine.SharedQueue;
import dev.jobengine.SharedSemaphore;
import dev.jobengine.test.JobEngineExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Shared objects used from the master and from worker JVMs, including owner death by SIGKILL. */
@ExtendWith(JobEngineExtension.class)
class SharedObjectsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration SHORT = Duration.ofMillis(200);
  private Engine engine;
  private Pool pool;

  @BeforeEach
  void start() {
    pool = engine.pool(2);
  }

  @Test
  void aHandleCapturedByATaskIsBoundToTheSameMasterObject() throws Exception {
    SharedQueue<String> q = engine.queue("q");
    SharedMap<String, Integer> m = engine.map("m");
    SharedList<Integer> l = engine.list("l");
    pool.apply(() -> {
      q.put("from " + ProcessHandle.current().pid());
      m.put("answer", 42);
      m.merge("answer", 1, Integer::sum);
      l.add(7);
      l.add(0, 6);
      return null;
    });
    assertThat(q.poll(5, TimeUnit.SECONDS)).startsWith("from ");
    assertThat(m).containsEntry("answer", 43);
    assertThat(l).containsExactly(6, 7);
  }

  @Test
  void setStoresWithoutAnAnswerInOrderWithWhatFollows() throws Exception {
    SharedMap<String, Integer> m = engine.map("set");
    SharedLock lock = engine.lock("set-lock");
    SharedEvent written = engine.event("set-written");
    SharedEvent release = engine.event("set-release");
    var writer = pool.applyAsync(() -> {
      lock.lock();
      for (int i = 1; i <= 1_000; i++) {
        m.set("n", i);
      }
      written.set();
      release.await(WAIT);
      lock.unlock();
      return null;
    });
    assertThat(written.await(WAIT)).isTrue();
    assertThat(m.get("n")).as("performed before the event that follows them").isEqualTo(1_000);
    release.set();
    assertThat(pool.apply(() -> {
      lock.lock();
      try {
        m.set("n", m.get("n") + 1);
        return m.get("n");
      } finally {
        lock.unlock();
      }
    })).isEqualTo(1_001);
    writer.get(60, TimeUnit.SECONDS);
    assertThat(m).containsEntry("n", 1_001);
    assertThatThrownBy(() -> pool.apply(() -> {
      Engine.current().<String, Object>map("set-bad").set("k", new Object());
      return null;
    })).isInstanceOf(RemoteTaskException.class).hasMessageContaining("TaskSerializationException");
    m.set("master", 7);
    assertThat(m.get("master")).isEqualTo(7);
  }

  @Test
  void aNullNameIsRefusedOnTheMasterAndInAWorker() throws Exception {
    assertThatThrownBy(() -> engine.map(null))
        .isExactlyInstanceOf(NullPointerException.class)
        .hasMessageContaining("name must not be null");
    assertThatThrownBy(() -> pool.apply(() -> Engine.current().barrier(null, 2)))
        .isInstanceOfSatisfying(RemoteTaskException.class, e -> {
          assertThat(e.remoteClassName()).isEqualTo(NullPointerException.class.getName());
          assertThat(e.remoteMessage()).startsWith("name must not be null").contains("barrier");
        });
    assertThat(pool.apply(() -> Engine.current().event("named").isSet())).isFalse();
  }

  @Test
  void engineCurrentInAWorkerFindsObjectsByName() throws Exception {
    SharedQueue<Integer> q = engine.queue("by-name", 5);
    q.put(1);
    assertThat(pool.apply(() -> Engine.current().<Integer>queue("by-name", 5).take() + 1)).isEqualTo(2);
    assertThatThrownBy(() -> pool.apply(() -> Engine.current().lock("by-name")))
        .isInstanceOf(RemoteTaskException.class)
        .hasMessageContaining("IllegalStateException")
        .hasMessageContaining("by-name");
    assertThatThrownBy(() -> engine.queue("by-name", 6)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(Engine::current).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aBlockingCallFromAWorkerHoldsNoMasterThread() throws Exception {
    SharedQueue<Integer> q = engine.queue("many-waiters");
    SharedQueue<Integer> out = engine.queue("many-results");
    var r = pool.applyAsync(() -> {
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        Thread t = new Thread(() -> {
          try {
            out.put(q.take() * 2);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join(60_000);
      }
      return threads.size();
    });
    for (int i = 0; i < 64; i++) {
      q.put(i);
    }
    assertThat(r.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(64);
    assertThat(out.size()).isEqualTo(64);
  }

  @Test
  void everyBlockingCallTimesOutFromTheMasterAndFromAWorker() throws Exception {
    SharedQueue<Integer> full = engine.queue("full", 1);
    full.put(1);
    SharedQueue<Integer> empty = engine.queue("empty");
    SharedLock lock = engine.lock("held");
    SharedSemaphore sem = engine.semaphore("none", 0);
    SharedEvent ev = engine.event("unset");
    JoinableQueue<Integer> jq = engine.joinableQueue("unfinished");
    jq.put(1);
    SharedEvent holding = engine.event("holding");
    EngineProcess holder = engine.process(() -> {
      lock.lock();
      holding.set();
      Thread.sleep(60_000); // holds the lock until killed
    }).daemon(true).start();
    assertThat(holding.await(WAIT)).isTrue();

    assertThat(full.offer(2, 100, TimeUnit.MILLISECONDS)).isFalse();
    assertThatThrownBy(() -> empty.get(SHORT)).isInstanceOf(TimeoutException.class);
    assertThat(empty.poll(100, TimeUnit.MILLISECONDS)).isNull();
    assertThat(lock.acquire(SHORT)).isFalse();
    assertThat(sem.tryAcquire(SHORT)).isFalse();
    assertThat(ev.await(SHORT)).isFalse();
    assertThat(jq.join(SHORT)).isFalse();
    assertThat(pool.apply(() -> List.of(
        full.offer(2, 100, TimeUnit.MILLISECONDS),
        empty.poll(100, TimeUnit.MILLISECONDS) == null,
        lock.acquire(SHORT),
        sem.tryAcquire(SHORT),
        ev.await(SHORT),
        jq.join(SHORT)))).containsExactly(false, true, false, false, false, false);
    SharedBarrier barrier = engine.barrier("two", 2);
    assertThatThrownBy(() -> barrier.await(SHORT)).isInstanceOf(TimeoutException.class);
    assertThatThrownBy(() -> barrier.await(SHORT)).isInstanceOf(BrokenBarrierException.class);
    holder.kill();
  }

  @Test
  void aLockHeldByAKilledProcessIsGivenBack() throws Exception {
    SharedLock lock = engine.lock("victim-lock");
    SharedEvent holding = engine.event("victim-holding");
    EngineProcess holder = engine.process(() -> {
      lock.lock();
      holding.set();
      Thread.sleep(60_000); // holds the lock until killed
    }).start();
    assertThat(holding.await(WAIT)).isTrue();
    assertThat(lock.isLocked()).isTrue();
    assertThat(lock.acquire(SHORT)).isFalse();
    holder.kill();
    assertThat(lock.acquire(Duration.ofSeconds(10))).as("the lock comes back when its holder dies").isTrue();
    lock.release();
    assertThatThrownBy(lock::release).isInstanceOf(IllegalMonitorStateException.class);
  }

  @Test
  void permitsOfAKilledProcessAreGivenBack() throws Exception {
    SharedSemaphore sem = engine.semaphore("victim-permits", 3);
    SharedEvent holding = engine.event("permits-holding");
    EngineProcess holder = engine.process(() -> {
      sem.acquire();
      sem.acquire();
      holding.set();
      Thread.sleep(60_000); // holds two permits until killed
    }).start();
    assertThat(holding.await(WAIT)).isTrue();
    assertThat(sem.availablePermits()).isEqualTo(1);
    holder.kill();
    holder.join(WAIT);
    assertThat(Processes.await(Duration.ofSeconds(10), () -> sem.availablePermits() == 3)).isTrue();
  }

  @Test
  void anItemTakenByAKilledConsumerIsDeliveredAgainAndJoinReturns() throws Exception {
    JoinableQueue<String> q = engine.joinableQueue("jobs");
    SharedEvent took = engine.event("took");
    q.put("item-0");
    q.put("item-1");
    EngineProcess consumer = engine.process(() -> {
      q.take();
      took.set();
      Thread.sleep(60_000); // dies before taskDone
    }).start();
    assertThat(took.await(WAIT)).isTrue();
    assertThat(Processes.await(Duration.ofSeconds(10), () -> q.size() == 1))
        .as("what the consumer read ahead comes back once it stops taking").isTrue();
    consumer.kill();
    consumer.join(WAIT);
    assertThat(Processes.await(Duration.ofSeconds(10), () -> q.size() == 2)).isTrue();
    assertThat(q.take()).as("the dead consumer's item is back at the front").isEqualTo("item-0");
    q.taskDone();
    assertThat(q.take()).isEqualTo("item-1");
    q.taskDone();
    assertThat(q.join(WAIT)).isTrue();
    assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void consumersThatReadAheadStillShareTheSentinelsAndLoseNothing() throws Exception {
    SharedQueue<Integer> q = engine.queue("sentinels");
    SharedMap<String, Long> sums = engine.map("sentinel-sums");
    SharedEvent exit = engine.event("sentinel-exit");
    for (int i = 1; i <= 1_000; i++) {
      q.put(i);
    }
    q.put(-1);
    q.put(-1);
    List<EngineProcess> consumers = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      String key = "c" + c;
      consumers.add(engine.process(() -> {
        long sum = 0;
        for (int v = q.take(); v > 0; v = q.take()) {
          sum += v;
        }
        sums.put(key, sum);
        exit.await(); // stays alive: what it read ahead must come back while it lives
      }).start());
    }
    try {
      assertThat(Processes.await(WAIT, () -> sums.size() == 2))
          .as("each consumer got a sentinel, even if the other one had read it ahead").isTrue();
      assertThat(sums.get("c0") + sums.get("c1")).as("no item was left behind a sentinel").isEqualTo(1_000L * 1_001 / 2);
      assertThat(q.size()).isZero();
    } finally {
      exit.set();
    }
    for (EngineProcess p : consumers) {
      assertThat(p.join(WAIT)).isTrue();
    }
  }

  @Test
  void itemsAKilledConsumerReadAheadComeBackInOrder() throws Exception {
    SharedQueue<Integer> q = engine.queue("read-ahead-victim");
    SharedEvent took = engine.event("read-ahead-took");
    for (int i = 0; i < 100; i++) {
      q.put(i);
    }
    EngineProcess consumer = engine.process(() -> {
      q.take();
      q.take();
      took.set();
      Thread.sleep(60_000); // killed while it may still hold what it read ahead
    }).start();
    assertThat(took.await(WAIT)).isTrue();
    consumer.kill();
    assertThat(consumer.join(WAIT)).isTrue();
    assertThat(Processes.await(Duration.ofSeconds(10), () -> q.size() == 98)).isTrue();
    List<Integer> rest = new ArrayList<>();
    q.drainTo(rest);
    assertThat(rest).hasSize(98).startsWith(2, 3, 4).endsWith(99).isSorted();
  }

  @Test
  void misuseGetsClearErrors() {
    SharedLock lock = engine.lock("not-held");
    assertThatThrownBy(lock::release).isInstanceOf(IllegalMonitorStateException.class);
    assertThatThrownBy(() -> pool.apply(() -> {
      lock.release();
      return null;
    })).isInstanceOf(RemoteTaskException.class).hasMessageContaining("IllegalMonitorStateException");
    SharedSemaphore bounded = engine.boundedSemaphore("bounded", 1);
    assertThatThrownBy(bounded::release).isInstanceOf(IllegalStateException.class);
    SharedQueue<Object> q = engine.queue("misuse", 1);
    q.putNowait(1);
    assertThatThrownBy(() -> q.putNowait(2)).isInstanceOf(IllegalStateException.class);
    assertThat(q.isFull()).isTrue();
    assertThat(q.getNowait()).isEqualTo(1);
    assertThatThrownBy(q::getNowait).isInstanceOf(java.util.NoSuchElementException.class);
    assertThatThrownBy(() -> q.put(new Object())).isInstanceOf(dev.jobengine.TaskSerializationException.class);
    assertThatThrownBy(() -> engine.semaphore("misuse", 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aWorkersReleasesKeepTheLocksSemantics() throws Exception {
    SharedLock lock = engine.lock("counted");
    // a release the worker knows it may make does not wait; one more must still fail
    assertThatThrownBy(() -> pool.apply(() -> {
      lock.lock();
      lock.unlock();
      lock.unlock();
      return null;
    })).isInstanceOf(RemoteTaskException.class).hasMessageContaining("IllegalMonitorStateException");
    assertThat(lock.isLocked()).isFalse();
    // holds are the process's, whichever handle took them; the release is done by the task's end
    Pool one = engine.pool(1);
    try {
      assertThat(one.apply(() -> lock.tryLock())).isTrue();
      assertThat(lock.isLocked()).isTrue();
      one.apply(() -> {
        lock.unlock();
        return null;
      });
      assertThat(lock.isLocked()).isFalse();
      assertThat(lock.acquire(SHORT)).isTrue();
      lock.release();
    } finally {
      one.terminate();
      one.join(WAIT);
    }
  }

  @Test
  void rlockIsReentrantForItsHolder() throws Exception {
    SharedLock r = engine.rlock("re");
    r.lock();
    r.lock();
    r.unlock();
    assertThat(r.isLocked()).isTrue();
    assertThat(pool.apply(() -> r.tryLock())).isFalse();
    r.unlock();
    assertThat(r.isLocked()).isFalse();
    assertThat(pool.apply(() -> {
      r.lock();
      r.lock();
      r.unlock();
      r.unlock();
      return r.isLocked();
    })).isFalse();
  }

  @Test
  void aBarrierReleasesAllPartiesTogether() throws Exception {
    SharedBarrier b = engine.barrier("meet", 3);
    var r1 = pool.applyAsync(() -> b.await(WAIT));
    var r2 = pool.applyAsync(() -> b.await(WAIT));
    int mine = b.await(WAIT);
    List<Integer> indexes = new ArrayList<>(List.of(mine, r1.get(60, TimeUnit.SECONDS), r2.get(60, TimeUnit.SECONDS)));
    assertThat(indexes).containsExactlyInAnyOrder(0, 1, 2);
  }

  @Test
  void queuePutsFromATaskAreAllThereWhenItsResultIs() throws Exception {
    SharedQueue<Integer> q = engine.queue("flush");
    pool.apply(() -> {
      for (int i = 0; i < 500; i++) {
        q.put(i);
      }
      return null;
    });
    assertThat(q.size()).isEqualTo(500);
    List<Integer> drained = new ArrayList<>();
    q.drainTo(drained);
    assertThat(drained).hasSize(500).startsWith(0, 1, 2).endsWith(499);
  }

  @Test
  void putsAndSetsOfAProcessAreAllThereOnceItHasExited() throws Exception {
    SharedQueue<Integer> q = engine.queue("process-puts");
    dev.jobengine.SharedEvent done = engine.event("process-done");
    dev.jobengine.EngineProcess p = engine.process(() -> {
      for (int i = 0; i < 2_000; i++) {
        q.put(i);
      }
      done.set();
    }).start();
    assertThat(p.join(java.time.Duration.ofSeconds(60))).isTrue();
    assertThat(p.exitCode()).hasValue(0);
    assertThat(done.isSet()).isTrue();
    List<Integer> drained = new ArrayList<>();
    q.drainTo(drained);
    assertThat(drained).hasSize(2_000).startsWith(0, 1, 2).endsWith(1_999);
  }

  /** Blocks in take() on a new thread, interrupts it once it waits, and returns what it threw. */
  static String interruptedTake(SharedQueue<Integer> q) throws Exception {
    java.util.concurrent.CompletableFuture<String> outcome = new java.util.concurrent.CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        outcome.complete("took " + q.take());
      } catch (Throwable e) {
        outcome.complete(e.getClass().getSimpleName());
      }
    });
    t.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    t.interrupt();
    return outcome.get(30, TimeUnit.SECONDS);
  }

  @Test
  void anInterruptedTakeLeavesNoWaiterBehind() throws Exception {
    SharedQueue<Integer> q = engine.queue("interrupted");
    assertThat(interruptedTake(q)).isEqualTo("InterruptedException");
    assertThat(pool.apply(() -> interruptedTake(q))).isEqualTo("InterruptedException");
    q.put(1);
    q.put(2);
    assertThat(q.size()).as("no withdrawn waiter swallowed an item").isEqualTo(2);
    assertThat(pool.apply(() -> q.take() + q.take())).isEqualTo(3);
  }

  @Test
  void closingTheEngineFailsCallsStillWaitingInTheMaster() throws Exception {
    SharedQueue<Integer> q = engine.queue("closing");
    java.util.concurrent.CompletableFuture<Throwable> failure = new java.util.concurrent.CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        q.take();
        failure.complete(null);
      } catch (Throwable e) {
        failure.complete(e);
      }
    });
    t.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    engine.close();
    assertThat(failure.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(q::size).isInstanceOf(IllegalStateException.class);
  }
}

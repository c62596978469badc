package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.AsyncResult;
import dev.jobengine.Engine;
import dev.jobengine.Pool;
import dev.jobengine.test.Faults;
import dev.jobengine.test.JobEngineExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pool's workers start a few at a time (two JVMs per core), the next as one connects or ends:
 * tasks go to the workers that connected while the others start, and a worker that fails to start
 * does not hold up the ones behind it.
 */
@ExtendWith(JobEngineExtension.class)
class StaggeredStartIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  /** JVMs starting at once, as the engine counts them by default. */
  private static final int AT_ONCE = 2 * Runtime.getRuntime().availableProcessors();
  /** Enough workers for more than one wave. */
  private static final int WORKERS = AT_ONCE + 4;

  @Test
  @Timeout(180)
  void workersStartInWavesServeTasksAsTheyConnectAndAllConnect(Engine engine, Faults faults) throws Exception {
    faults.delayWorkerStarts(Duration.ofMillis(500)); // each wave stays unconnected a while longer
    Pool pool = engine.pool(WORKERS);
    AsyncResult<Integer> first = pool.applyAsync(() -> 41 + 1);
    List<AsyncResult<Long>> rest = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      rest.add(pool.applyAsync(() -> ProcessHandle.current().pid()));
    }
    AtomicInteger mostUnconnected = new AtomicInteger();
    AtomicInteger connectedAtFirstResult = new AtomicInteger(-1);
    boolean allConnected = Processes.await(WAIT, () -> {
      Set<Long> unconnected = pids(faults.liveWorkers()); // read first: a worker connecting meanwhile is not counted
      List<Long> connected = pool.workerPids();
      unconnected.removeAll(connected);
      mostUnconnected.accumulateAndGet(unconnected.size(), Math::max);
      if (first.ready()) {
        connectedAtFirstResult.compareAndSet(-1, connected.size());
      }
      return connected.size() == WORKERS && first.ready();
    });
    assertThat(allConnected).as("every worker connected").isTrue();
    assertThat(mostUnconnected.get()).as("JVMs starting at once").isBetween(1, AT_ONCE);
    assertThat(connectedAtFirstResult.get()).as("workers connected when the first result came").isBetween(1, WORKERS - 1);
    assertThat(first.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(42);
    Set<Long> ranOn = new HashSet<>();
    for (AsyncResult<Long> r : rest) {
      ranOn.add(r.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }
    assertThat(ranOn).as("tasks ran on the pool's workers").isNotEmpty().allMatch(pid -> pid > 0);
  }

  @Test
  @Timeout(180)
  void aWorkerThatFailsToStartDoesNotHoldUpTheOnesBehindIt(Engine engine, Faults faults) throws Exception {
    faults.failWorkerStarts(2); // fewer than the failures in a row that break a pool
    Pool pool = engine.pool(WORKERS);
    List<AsyncResult<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      int x = i;
      results.add(pool.applyAsync(() -> x * 2));
    }
    for (int i = 0; i < results.size(); i++) {
      assertThat(results.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(2 * i);
    }
    assertThat(Processes.await(WAIT, () -> pool.workerPids().size() == WORKERS))
        .as("the failed starts were replaced and every worker connected").isTrue();
  }

  private static Set<Long> pids(List<ProcessHandle> handles) {
    Set<Long> pids = new HashSet<>();
    handles.forEach(h -> pids.add(h.pid()));
    return pids;
  }
}

package dev.jobengine.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.AsyncResult;
import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.Pool;
import dev.jobengine.SharedEvent;
import dev.jobengine.WorkerLostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each fault {@link Faults} injects, against real worker JVMs. */
@ExtendWith(JobEngineExtension.class)
@Timeout(60)
class FaultsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static boolean gone(long pid) {
    return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
  }

  @Test
  void killWorkerRunningKillsTheWorkerOfThatTaskOnly(Engine engine, Faults faults) throws Exception {
    SharedEvent never = engine.event("never");
    try (Pool pool = engine.pool(2)) {
      AsyncResult<Long> doomed = pool.applyAsync(() -> {
        never.await();
        return ProcessHandle.current().pid();
      });
      long pid = faults.killWorkerRunning(doomed);
      assertThat(gone(pid)).as("the worker has exited when the call returns").isTrue();
      assertThatThrownBy(() -> doomed.get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(WorkerLostException.class);
      assertThat(pool.apply(() -> ProcessHandle.current().pid())).isNotEqualTo(pid);
    }
  }

  @Test
  void aMapsResultHasNoSingleWorkerToKill(Engine engine, Faults faults) throws Exception {
    try (Pool pool = engine.pool(1)) {
      AsyncResult<List<Integer>> r = pool.mapAsync((Integer x) -> x, List.of(1, 2, 3));
      assertThatThrownBy(() -> faults.killWorkerRunning(r))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("map");
      assertThat(r.get(30, TimeUnit.SECONDS)).containsExactly(1, 2, 3);
    }
  }

  @Test
  void aStoppedWorkerRunsOnOnceResumed(Engine engine, Faults faults) throws Exception {
    SharedEvent go = engine.event("go");
    try (Pool pool = engine.pool(1)) {
      AsyncResult<Long> held = pool.applyAsync(() -> {
        go.await();
        return ProcessHandle.current().pid();
      });
      try (StoppedWorker stopped = faults.stopWorkerRunning(held)) {
        assertThat(stopped.isStopped()).isTrue();
        go.set();
        assertThat(held.await(Duration.ofMillis(300))).as("a stopped worker finishes nothing").isFalse();
        stopped.resume();
        assertThat(stopped.isStopped()).isFalse();
        assertThat(held.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(stopped.pid());
      }
    }
  }

  @Test
  void delayedStartsDelayThePoolsFirstResult(Engine engine, Faults faults) throws Exception {
    faults.delayWorkerStarts(Duration.ofMillis(800));
    long start = System.nanoTime();
    try (Pool pool = engine.pool(1)) {
      assertThat(pool.apply(() -> 1)).isEqualTo(1);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
  }

  @Test
  void aFailedStartIsReplaced(Engine engine, Faults faults) throws Exception {
    faults.failWorkerStarts(1);
    try (Pool pool = engine.pool(1)) {
      assertThat(pool.apply(() -> 1)).isEqualTo(1);
    }
  }

  @Test
  void aProcessWhoseConnectionIsCutEnds(Engine engine, Faults faults) throws Exception {
    SharedEvent never = engine.event("never");
    SharedEvent started = engine.event("started");
    EngineProcess p = engine.process(() -> {
      started.set();
      never.await();
    }).start();
    assertThat(started.await(WAIT)).isTrue();
    faults.cutConnection(p);
    assertThat(p.join(WAIT)).as("the process ends once its connection is cut").isTrue();
    assertThat(p.exitCode().orElseThrow()).isNotZero();
  }

  @Test
  void misuseFailsClearly(Engine engine, Faults faults) throws Exception {
    assertThatThrownBy(() -> faults.stop(ProcessHandle.current().pid()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a live worker of this engine");
    assertThatThrownBy(() -> faults.cutConnection(engine.process(() -> { })))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has not started");
    assertThatThrownBy(() -> faults.failWorkerStarts(-1)).isInstanceOf(IllegalArgumentException.class);
    try (Pool pool = engine.pool(1)) {
      AsyncResult<Integer> done = pool.applyAsync(() -> 1);
      assertThat(done.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
      assertThatThrownBy(() -> faults.killWorkerRunning(done, Duration.ofMillis(100)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("finished (successfully) before it was seen running on a worker");
    }
  }
}

package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.AsyncResult;
import dev.jobengine.Engine;
import dev.jobengine.Pool;
import dev.jobengine.WorkerLostException;
import dev.jobengine.test.Faults;
import dev.jobengine.test.JobEngineExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Which ends of a worker count as failing to start, and what the pool does about each. */
@ExtendWith(JobEngineExtension.class)
class SupervisionIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void workersKilledFromOutsideBeforeTheyConnectNeverBreakThePool(Engine engine, Faults faults) throws Exception {
    faults.delayWorkerStarts(Duration.ofMinutes(5)); // every worker stays unconnected until the test lets it in
    Pool pool = engine.pool(1);
    AsyncResult<Integer> r = pool.applyAsync(() -> 42);
    Set<Long> killed = new HashSet<>();
    for (int i = 0; i < 5; i++) { // more than the start failures a pool tolerates in a row
      assertThat(Processes.await(WAIT, () -> faults.liveWorkers().stream().anyMatch(p -> !killed.contains(p.pid()))))
          .as("a replacement starts").isTrue();
      ProcessHandle starting = faults.liveWorkers().stream().filter(p -> !killed.contains(p.pid())).findFirst().orElseThrow();
      killed.add(starting.pid());
      starting.destroyForcibly();
      assertThat(Processes.await(WAIT, () -> Processes.isGone(starting.pid()))).isTrue();
      assertThat(pool.workerPids()).as("not connected, not listed").isEmpty();
    }
    faults.delayWorkerStarts(Duration.ZERO);
    for (ProcessHandle p : faults.liveWorkers()) {
      p.destroyForcibly(); // the one held back: its replacement connects at once
    }
    assertThat(r.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the task was never lost: it had not started").isEqualTo(42);
    assertThat(pool.workerPids()).hasSize(1).doesNotContainAnyElementsOf(killed);
  }

  @Test
  void fewerStartFailuresInARowThanTheLimitAreRetried(Engine engine, Faults faults) throws Exception {
    faults.failWorkerStarts(2);
    Pool pool = engine.pool(1);
    assertThat(pool.apply(() -> 42)).isEqualTo(42);
  }

  @Test
  void threeStartFailuresInARowBreakThePoolQuotingTheWorkersStderr(Engine engine, Faults faults) throws Exception {
    faults.failWorkerStarts(3);
    Pool pool = engine.pool(1);
    AsyncResult<Integer> r = pool.applyAsync(() -> 1);
    assertThatThrownBy(() -> r.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(WorkerLostException.class)
        .hasMessageContaining("fail to start")
        .hasMessageContaining("exited with status 1")
        .hasMessageContaining("Too small maximum heap");
    assertThatThrownBy(() -> pool.applyAsync(() -> 2)).isInstanceOf(IllegalStateException.class).hasMessageContaining("BROKEN");
  }
}

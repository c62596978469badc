package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.AsyncResult;
import dev.jobengine.Engine;
import dev.jobengine.Pool;
import dev.jobengine.Progress;
import dev.jobengine.RemoteTaskException;
import dev.jobengine.SharedEvent;
import dev.jobengine.SharedLock;
import dev.jobengine.SharedQueue;
import dev.jobengine.WorkerLostException;
import dev.jobengine.master.internal.EngineImpl;
import dev.jobengine.test.Faults;
import dev.jobengine.test.JobEngineExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The engine's meters bound to a registry, over real worker JVMs: tasks that succeed, throw and
 * lose their worker, a queue, a contended lock; and the progress of a map. Runs in the failsafe
 * execution that has Micrometer on the class path; the others have none.
 */
@ExtendWith(JobEngineExtension.class)
@EnabledIf("dev.jobengine.it.Micrometer#onClassPath")
class MetricsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private Engine engine;

  @Test
  @Timeout(180)
  void tasksWorkersQueuesAndLockWaitsAreMetered(Faults faults) throws Exception {
    Meters meters = Meters.bind(engine);
    Pool pool = engine.pool(2);
    String poolName = pool.toString().substring(0, pool.toString().indexOf('['));

    assertThat(pool.apply(() -> 41 + 1)).isEqualTo(42);
    AsyncResult<Object> threw = pool.applyAsync(() -> {
      throw new IllegalStateException("boom");
    });
    assertThatThrownBy(() -> threw.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .cause().isInstanceOf(RemoteTaskException.class);
    AsyncResult<Object> doomed = pool.applyAsync(() -> {
      Thread.sleep(Duration.ofMinutes(5).toMillis()); // killed long before
      return null;
    });
    faults.killWorkerRunning(doomed);
    assertThatThrownBy(() -> doomed.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .cause().isInstanceOf(WorkerLostException.class);

    SharedQueue<Integer> queue = engine.queue("jobs");
    for (int i = 0; i < 3; i++) {
      queue.put(i);
    }
    assertThat(pool.apply(() -> queue.take())).isZero();
    assertThat(meters.gauge("jobengine.queue.depth", "name", "jobs")).isEqualTo(2);

    SharedLock lock = engine.lock("guard");
    lock.lock();
    AsyncResult<Boolean> waiter = pool.applyAsync(() -> {
      lock.lock();
      lock.unlock();
      return true;
    });
    assertThat(Processes.await(WAIT, () -> waitersOn("guard") == 1)).as("the task waits for the lock").isTrue();
    lock.unlock();
    assertThat(waiter.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    String[] tag = {"pool", poolName};
    assertThat(meters.counter("jobengine.tasks.submitted", tag)).isEqualTo(5);
    assertThat(meters.counter("jobengine.tasks.completed", tag)).isEqualTo(3);
    assertThat(meters.counter("jobengine.tasks.failed", tag)).isEqualTo(1);
    assertThat(meters.counter("jobengine.tasks.lost", tag)).isEqualTo(1);
    assertThat(meters.counter("jobengine.tasks.cancelled", tag)).isZero();
    assertThat(meters.timerCount("jobengine.tasks.latency", tag)).isEqualTo(5);
    assertThat(meters.timerCount("jobengine.lock.wait", "name", "guard", "kind", "lock")).isEqualTo(1);
    assertThat(meters.timerTotalMillis("jobengine.lock.wait", "name", "guard")).isPositive();

    assertThat(Processes.await(WAIT, () -> pool.workerPids().size() == 2)).as("a replacement started").isTrue();
    assertThat(meters.counter("jobengine.workers.started")).isGreaterThanOrEqualTo(3);
    assertThat(meters.counter("jobengine.workers.died")).isEqualTo(1);
    assertThat(meters.gauge("jobengine.workers.live")).isGreaterThanOrEqualTo(2);
  }

  @Test
  @Timeout(120)
  void aMapsProgressShowsTheItemsDoneWhileTheRestWait() throws Exception {
    Pool pool = engine.pool(2);
    SharedEvent go = engine.event("go");
    List<Integer> items = IntStream.range(0, 20).boxed().toList();
    AsyncResult<List<Integer>> result = pool.mapAsync((Integer x) -> {
      if (x >= 10) {
        go.await();
      }
      return x * x;
    }, items, 1);

    assertThat(Processes.await(WAIT, () -> result.progress().completedItems() == 10))
        .as("the first ten items complete: " + result.progress()).isTrue();
    assertThat(result.progress()).isEqualTo(new Progress(10, 20, 20));
    assertThat(result.progress().fraction()).hasValue(0.5);
    assertThat(result.ready()).isFalse();

    go.set();
    assertThat(result.get(WAIT.toSeconds(), TimeUnit.SECONDS)).hasSize(20).endsWith(361);
    assertThat(result.progress().done()).isTrue();
  }

  private int waitersOn(String name) {
    return ((EngineImpl) engine).status().getObjectsList().stream()
        .filter(o -> o.getName().equals(name)).mapToInt(o -> o.getWaiters()).findFirst().orElse(0);
  }
}

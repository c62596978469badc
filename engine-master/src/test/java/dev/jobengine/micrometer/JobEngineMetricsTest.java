package dev.jobengine.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.master.internal.metrics.EngineCounters;
import dev.jobengine.master.internal.metrics.PoolCounters;
import dev.jobengine.master.internal.metrics.PoolCounters.Settled;
import dev.jobengine.master.internal.objects.state.LockState;
import dev.jobengine.master.internal.objects.state.SemaphoreState;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JobEngineMetricsTest {
  private final AtomicInteger live = new AtomicInteger();
  private final EngineCounters counters = new EngineCounters(live::get);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  @Test
  void poolsMadeBeforeAndAfterBindingHaveTheirMeters() {
    PoolCounters before = counters.pool("p1");
    before.submitted(2);
    before.settled(Settled.COMPLETED, 0);
    new JobEngineMetrics(counters, Tags.of("app", "test")).bindTo(registry);
    PoolCounters after = counters.pool("p2");
    after.submitted(3);
    long t = after.clock();
    assertThat(t).isNotZero(); // latency is measured once bound
    after.settled(Settled.FAILED, t);
    after.settled(Settled.LOST, after.clock());
    after.settled(Settled.CANCELLED, after.clock());

    assertThat(count("jobengine.tasks.submitted", "pool", "p1", "app", "test")).isEqualTo(2);
    assertThat(count("jobengine.tasks.completed", "pool", "p1")).isEqualTo(1);
    assertThat(count("jobengine.tasks.submitted", "pool", "p2")).isEqualTo(3);
    assertThat(count("jobengine.tasks.failed", "pool", "p2")).isEqualTo(1);
    assertThat(count("jobengine.tasks.lost", "pool", "p2")).isEqualTo(1);
    assertThat(count("jobengine.tasks.cancelled", "pool", "p2")).isEqualTo(1);
    assertThat(registry.get("jobengine.tasks.latency").tag("pool", "p2").timer().count())
        .as("a cancelled task has no latency").isEqualTo(2);
  }

  @Test
  void workersQueuesAndLockWaits() throws Exception {
    new JobEngineMetrics(counters, Tags.empty()).bindTo(registry);
    new JobEngineMetrics(counters, Tags.empty()).bindTo(registry); // bound already: changes nothing
    counters.workerStarted();
    counters.workerStarted();
    counters.workerDied();
    live.set(1);
    AtomicInteger depth = new AtomicInteger(5);
    counters.queue("q", depth::get);
    LockState lock = new LockState(false);
    counters.lock("l", "lock", lock);

    assertThat(count("jobengine.workers.started")).isEqualTo(2);
    assertThat(count("jobengine.workers.died")).isEqualTo(1);
    assertThat(registry.get("jobengine.workers.live").gauge().value()).isEqualTo(1);
    assertThat(registry.get("jobengine.queue.depth").tag("name", "q").gauge().value()).isEqualTo(5);

    lock.acquire(1).get(5, TimeUnit.SECONDS); // at once: not a wait
    CompletableFuture<Void> waiting = lock.acquire(2);
    lock.release(1);
    waiting.get(5, TimeUnit.SECONDS);
    Timer waits = registry.get("jobengine.lock.wait").tags("name", "l", "kind", "lock").timer();
    assertThat(waits.count()).isEqualTo(1);
  }

  @Test
  void waitsThatGaveUpAreNotRecordedAndTwoRegistriesEachRecord() throws Exception {
    JobEngineMetrics metrics = new JobEngineMetrics(counters, Tags.empty());
    metrics.bindTo(registry);
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    metrics.bindTo(other);
    SemaphoreState semaphore = new SemaphoreState(1, false);
    counters.lock("s", "semaphore", semaphore);
    semaphore.acquire(1).get(5, TimeUnit.SECONDS);
    CompletableFuture<Void> waiting = semaphore.acquire(2);
    CompletableFuture<Void> timedOut = semaphore.acquire(3);
    timedOut.cancel(false); // a wait that gave up is not recorded
    semaphore.release(1);
    waiting.get(5, TimeUnit.SECONDS);
    assertThat(registry.get("jobengine.lock.wait").tags("name", "s", "kind", "semaphore").timer().count())
        .isEqualTo(1);
    assertThat(other.get("jobengine.lock.wait").tags("name", "s", "kind", "semaphore").timer().count())
        .isEqualTo(1);
  }

  @Test
  void aClientEngineHasNoWorkerMeters() {
    new JobEngineMetrics(new EngineCounters(null), Tags.empty()).bindTo(registry);
    assertThat(registry.find("jobengine.workers.live").meter()).isNull();
    assertThatThrownBy(() -> new JobEngineMetrics(null)).isInstanceOf(NullPointerException.class);
  }
}

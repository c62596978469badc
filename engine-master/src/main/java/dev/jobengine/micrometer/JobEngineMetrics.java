package dev.jobengine.micrometer;

import dev.jobengine.Engine;
import dev.jobengine.master.internal.metrics.EngineCounters;
import dev.jobengine.master.internal.metrics.Instrumented;
import dev.jobengine.master.internal.metrics.PoolCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

/**
 * An engine's meters, for a Micrometer {@link MeterRegistry}:
 *
 * <pre>{@code
 * Engine engine = Engine.start();
 * new JobEngineMetrics(engine).bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code jobengine.tasks.submitted}</td><td>counter</td><td>{@code pool}</td>
 *       <td>tasks submitted (a map's chunk is one task)</td></tr>
 *   <tr><td>{@code jobengine.tasks.completed}</td><td>counter</td><td>{@code pool}</td>
 *       <td>tasks whose result arrived</td></tr>
 *   <tr><td>{@code jobengine.tasks.failed}</td><td>counter</td><td>{@code pool}</td>
 *       <td>tasks that threw, timed out, could not be serialized, or ended with their pool</td></tr>
 *   <tr><td>{@code jobengine.tasks.lost}</td><td>counter</td><td>{@code pool}</td>
 *       <td>tasks whose worker died running them (not those run again under {@code retries})</td></tr>
 *   <tr><td>{@code jobengine.tasks.cancelled}</td><td>counter</td><td>{@code pool}</td>
 *       <td>tasks withdrawn by a cancel before they had an outcome</td></tr>
 *   <tr><td>{@code jobengine.tasks.latency}</td><td>timer</td><td>{@code pool}</td>
 *       <td>submit to outcome (completed, failed or lost), for tasks submitted after binding</td></tr>
 *   <tr><td>{@code jobengine.workers.started}</td><td>counter</td><td></td>
 *       <td>worker JVMs started (pools', standby, processes'; joined ones)</td></tr>
 *   <tr><td>{@code jobengine.workers.died}</td><td>counter</td><td></td>
 *       <td>worker JVMs that ended without being asked to (crashed, killed from outside, or by the
 *       master for a task timeout, a cancel or silence), other than with exit status 0</td></tr>
 *   <tr><td>{@code jobengine.workers.live}</td><td>gauge</td><td></td><td>worker JVMs alive now</td></tr>
 *   <tr><td>{@code jobengine.queue.depth}</td><td>gauge</td><td>{@code name}</td>
 *       <td>items in a named shared queue</td></tr>
 *   <tr><td>{@code jobengine.lock.wait}</td><td>timer</td><td>{@code name}, {@code kind}</td>
 *       <td>how long acquires of a shared lock or semaphore that had to wait waited in the master,
 *       queued to granted ({@code kind}: {@code lock}, {@code rlock}, {@code semaphore}, {@code
 *       bounded_semaphore}); acquires granted at once and waits that timed out are not recorded</td></tr>
 * </table>
 *
 * <p>Pools and shared objects made after binding get their meters as they are made. The counts
 * are kept by the engine whether or not a registry is bound; the timers cost a {@link Timer}
 * record per task or wait only while bound.
 *
 * <p>For an engine connected to a daemon ({@link Engine#connect}), the {@code jobengine.tasks.*}
 * meters count this client's pools, as seen from the client (a task lost with the daemon's worker
 * counts as lost); the workers, queues and locks are the daemon's and have no meters here.
 */
public final class JobEngineMetrics implements MeterBinder {
  private final EngineCounters counters;
  private final Iterable<Tag> tags;

  /**
   * The meters of {@code engine}, one started or connected by this implementation; {@link
   * IllegalArgumentException} for another (the engine a task gets from {@link Engine#current()}).
   */
  public JobEngineMetrics(Engine engine) {
    this(engine, Tags.empty());
  }

  /** The meters of {@code engine}, each with {@code tags} too. */
  public JobEngineMetrics(Engine engine, Iterable<Tag> tags) {
    Objects.requireNonNull(engine, "engine");
    if (!(engine instanceof Instrumented instrumented)) {
      throw new IllegalArgumentException(engine + " keeps no metrics: only an engine of Engine.start() or"
          + " Engine.connect() does");
    }
    this.counters = instrumented.counters();
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
  }

  /** The meters of {@code counters} (for tests). */
  JobEngineMetrics(EngineCounters counters, Iterable<Tag> tags) {
    this.counters = counters;
    this.tags = Tags.of(tags);
  }

  /**
   * Registers the meters in {@code registry}; binding a registry this engine's meters are bound to
   * already (by this binder or another) changes nothing.
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    if (!counters.firstBinding(registry)) {
      return;
    }
    if (counters.runsWorkers()) {
      counter(registry, "jobengine.workers.started", "worker JVMs started", Tags.empty(), counters,
          EngineCounters::workersStarted);
      counter(registry, "jobengine.workers.died", "worker JVMs that ended without being asked to", Tags.empty(),
          counters, EngineCounters::workersDied);
      Gauge.builder("jobengine.workers.live", counters, EngineCounters::liveWorkers)
          .description("worker JVMs alive now").tags(tags).register(registry);
    }
    counters.listen(new Listener(registry));
  }

  private <T> void counter(MeterRegistry registry, String name, String description, Tags extra, T source,
      ToDoubleFunction<T> count) {
    FunctionCounter.builder(name, source, count).description(description).tags(tags).tags(extra).register(registry);
  }

  /** Adds meters for each pool and object of the engine, as they come. */
  private final class Listener implements EngineCounters.Listener {
    private final MeterRegistry registry;

    Listener(MeterRegistry registry) {
      this.registry = registry;
    }

    @Override
    public void pool(PoolCounters pool) {
      Tags poolTag = Tags.of("pool", pool.pool());
      counter(registry, "jobengine.tasks.submitted", "tasks submitted", poolTag, pool, PoolCounters::submitted);
      counter(registry, "jobengine.tasks.completed", "tasks whose result arrived", poolTag, pool,
          PoolCounters::completed);
      counter(registry, "jobengine.tasks.failed", "tasks that failed", poolTag, pool, PoolCounters::failed);
      counter(registry, "jobengine.tasks.lost", "tasks whose worker died running them", poolTag, pool,
          PoolCounters::lost);
      counter(registry, "jobengine.tasks.cancelled", "tasks cancelled before their outcome", poolTag, pool,
          PoolCounters::cancelled);
      Timer latency = Timer.builder("jobengine.tasks.latency").description("task submit to outcome")
          .tags(tags).tags(poolTag).register(registry);
      pool.measureLatency(nanos -> latency.record(nanos, TimeUnit.NANOSECONDS));
    }

    @Override
    public void queue(String name, IntSupplier depth) {
      Gauge.builder("jobengine.queue.depth", depth, IntSupplier::getAsInt).description("items in a shared queue")
          .tags(tags).tag("name", name).strongReference(true).register(registry);
    }

    @Override
    public void lock(String name, String kind, EngineCounters.WaitMeasured lock) {
      Timer waits = Timer.builder("jobengine.lock.wait")
          .description("time an acquire of a shared lock or semaphore waited in the master")
          .tags(tags).tag("name", name).tag("kind", kind).register(registry);
      lock.measureWaits(nanos -> waits.record(nanos, TimeUnit.NANOSECONDS));
    }
  }
}

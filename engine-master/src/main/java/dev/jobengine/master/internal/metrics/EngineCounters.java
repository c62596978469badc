package dev.jobengine.master.internal.metrics;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * An engine's counts: its pools' ({@link PoolCounters}), its worker JVMs' starts and deaths, and
 * its named shared objects as they are declared. A {@link Listener} added is told of what exists
 * and then of what comes. Thread-safe.
 */
public final class EngineCounters {
  /** Told of pools and shared objects, on the thread that makes them; must not block. */
  public interface Listener {
    void pool(PoolCounters pool);

    /** A named queue: {@code depth} gives the items in it now. */
    default void queue(String name, IntSupplier depth) {}

    /** A named lock or semaphore of {@code kind}: install a wait recorder with {@code measureWaits}. */
    default void lock(String name, String kind, WaitMeasured lock) {}
  }

  /** A lock or semaphore whose waits (queued to granted) can be measured. */
  public interface WaitMeasured {
    void measureWaits(Recorder recorder);
  }

  private final LongAdder workersStarted = new LongAdder();
  private final LongAdder workersDied = new LongAdder();
  private final IntSupplier liveWorkers;
  private final List<PoolCounters> pools = new CopyOnWriteArrayList<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Set<Object> registries = Collections.newSetFromMap(new IdentityHashMap<>()); // guarded by this
  /** Each declared object, as the event a late listener is told. */
  private final List<Consumer<Listener>> declared = new CopyOnWriteArrayList<>();

  /** {@code liveWorkers}: the worker JVMs running now; null for an engine that runs none (a client). */
  public EngineCounters(IntSupplier liveWorkers) {
    this.liveWorkers = liveWorkers;
  }

  /** Whether this engine runs worker JVMs itself (an embedded engine or a daemon, not a client). */
  public boolean runsWorkers() {
    return liveWorkers != null;
  }

  public void workerStarted() {
    workersStarted.increment();
  }

  public void workerDied() {
    workersDied.increment();
  }

  public long workersStarted() {
    return workersStarted.sum();
  }

  public long workersDied() {
    return workersDied.sum();
  }

  public int liveWorkers() {
    return liveWorkers == null ? 0 : liveWorkers.getAsInt();
  }

  /** A new pool's counters, of which listeners are told. */
  public PoolCounters pool(String name) {
    PoolCounters p = new PoolCounters(name);
    synchronized (this) {
      pools.add(p);
    }
    listeners.forEach(l -> l.pool(p));
    return p;
  }

  /** A named queue was declared. */
  public void queue(String name, IntSupplier depth) {
    announce(l -> l.queue(name, depth));
  }

  /** A named lock or semaphore was declared. */
  public void lock(String name, String kind, WaitMeasured lock) {
    announce(l -> l.lock(name, kind, lock));
  }

  private void announce(Consumer<Listener> event) {
    synchronized (this) {
      declared.add(event);
    }
    listeners.forEach(event);
  }

  /**
   * Adds {@code listener} and tells it of the pools and objects there are. One made meanwhile may
   * be told twice.
   */
  public void listen(Listener listener) {
    List<PoolCounters> poolsNow;
    List<Consumer<Listener>> objectsNow;
    synchronized (this) {
      listeners.add(listener);
      poolsNow = List.copyOf(pools);
      objectsNow = List.copyOf(declared);
    }
    poolsNow.forEach(listener::pool);
    objectsNow.forEach(e -> e.accept(listener));
  }

  /** True the first time {@code registry} is bound to these counts, false after. */
  public synchronized boolean firstBinding(Object registry) {
    return registries.add(registry);
  }

  /** The pools' counters, in creation order. */
  public List<PoolCounters> pools() {
    return List.copyOf(pools);
  }
}

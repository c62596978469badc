package dev.jobengine.worker.internal;

import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.Job;
import dev.jobengine.JoinableQueue;
import dev.jobengine.Pipe;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.SharedBarrier;
import dev.jobengine.SharedEvent;
import dev.jobengine.SharedList;
import dev.jobengine.SharedLock;
import dev.jobengine.SharedMap;
import dev.jobengine.SharedQueue;
import dev.jobengine.SharedSemaphore;
import dev.jobengine.internal.objects.SharedObjects;

/**
 * {@link Engine#current()} inside a worker: the engine the worker belongs to, through which tasks
 * and processes look up shared objects by name. Pools and processes are started by the master.
 */
public final class WorkerEngine implements Engine {
  private static volatile WorkerEngine current;

  private final SharedObjects objects;

  WorkerEngine(SharedObjects objects) {
    this.objects = objects;
  }

  /** The engine of this worker JVM, or null outside a worker. */
  public static WorkerEngine current() {
    return current;
  }

  static void setCurrent(WorkerEngine engine) {
    current = engine;
  }

  private static UnsupportedOperationException masterOnly(String what) {
    return new UnsupportedOperationException(what + " is only available in the master, not inside a worker");
  }

  @Override
  public Pool pool(int workers) {
    throw masterOnly("Engine.pool");
  }

  @Override
  public Pool pool(PoolOptions options) {
    throw masterOnly("Engine.pool");
  }

  @Override
  public EngineProcess process(Job target) {
    throw masterOnly("Engine.process");
  }

  @Override
  public <E> SharedQueue<E> queue(String name) {
    return objects.queue(name, 0);
  }

  @Override
  public <E> SharedQueue<E> queue(String name, int maxsize) {
    return objects.queue(name, maxsize);
  }

  @Override
  public <E> JoinableQueue<E> joinableQueue(String name) {
    return objects.joinableQueue(name);
  }

  @Override
  public SharedLock lock(String name) {
    return objects.lock(name, false);
  }

  @Override
  public SharedLock rlock(String name) {
    return objects.lock(name, true);
  }

  @Override
  public SharedSemaphore semaphore(String name, int permits) {
    return objects.semaphore(name, permits, false);
  }

  @Override
  public SharedSemaphore boundedSemaphore(String name, int permits) {
    return objects.semaphore(name, permits, true);
  }

  @Override
  public SharedEvent event(String name) {
    return objects.event(name);
  }

  @Override
  public SharedBarrier barrier(String name, int parties) {
    return objects.barrier(name, parties);
  }

  @Override
  public <K, V> SharedMap<K, V> map(String name) {
    return objects.map(name);
  }

  @Override
  public <E> SharedList<E> list(String name) {
    return objects.list(name);
  }

  @Override
  public <E> Pipe<E> pipe(String name) {
    throw new UnsupportedOperationException("Engine.pipe is not available yet");
  }

  /** The worker's engine lives as long as the worker; closing it does nothing. */
  @Override
  public void close() {}
}

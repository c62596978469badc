package dev.jobengine.worker.internal;

import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.Job;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.internal.objects.SharedObjectEngine;
import dev.jobengine.internal.objects.SharedObjects;

/**
 * {@link Engine#current()} inside a worker: the engine the worker belongs to, through which tasks
 * and processes look up shared objects by name. Pools and processes are started by the master.
 */
public final class WorkerEngine extends SharedObjectEngine {
  private static volatile WorkerEngine current;

  WorkerEngine(SharedObjects objects) {
    objects(objects);
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

  /** The worker's engine lives as long as the worker; closing it does nothing. */
  @Override
  public void close() {}
}

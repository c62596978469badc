package dev.jobengine.worker.internal;

import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.Job;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.core.objects.SharedObjectEngine;
import dev.jobengine.core.objects.SharedObjects;

/**
 * {@link Engine#current()} inside a worker: the engine the worker belongs to, through which tasks
 * and processes look up shared objects by name. Pools and processes are started by the master.
 */
final class WorkerEngine extends SharedObjectEngine {
  WorkerEngine(SharedObjects objects) {
    objects(objects);
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

package dev.jobengine.master.internal.pool;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Where a {@link PoolImpl}'s encoded tasks go and their outcomes come from: the pool's own
 * workers ({@link PoolWorkers}, in an engine that runs them) or a daemon's ({@link DaemonPool}, in
 * a connected engine). Settles each task once, as {@link PendingTask} says.
 */
interface PoolBackend {
  enum State { RUNNING, CLOSED, TERMINATED, BROKEN }

  /** Queues tasks, or throws IllegalStateException when the pool takes no more. */
  void submit(List<PendingTask> tasks);

  /** See {@link PoolWorkers#cancel}. */
  boolean cancel(PendingTask task, boolean mayInterrupt);

  /** The pid of the worker running {@code task} now, if one is known to. */
  OptionalLong runningOn(PendingTask task);

  /** Tasks that ran again after their worker was lost. */
  long retried();

  /** No new tasks; those queued still run, then the workers exit (or go back to a daemon). */
  void close();

  /** Stops the workers now; unfinished tasks fail with PoolTerminatedException. */
  void terminate();

  /** Completes once the pool is closed or terminated and its workers are done with it. */
  CompletableFuture<Void> allExited();

  State state();

  /** The connected workers' pids. */
  List<Long> pids();
}

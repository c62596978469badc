package dev.jobengine.master.internal.supervisor;

import dev.jobengine.proto.ResultBatch;
import dev.jobengine.proto.Revoked;

/**
 * Whoever a worker JVM works for (a pool, a process, the standby workers), as the {@link
 * WorkerSupervisor} tells it. Called on transport or process-exit threads: must not block.
 */
public interface WorkerOwner {
  /**
   * Whether a worker asked for and still waiting for its turn to start should start: false once
   * the owner has ended or needs no more workers.
   */
  default boolean wantsWorker() {
    return true;
  }

  /** The worker's JVM exists (started, or adopted), before it can connect or end. */
  default void started(SupervisedWorker worker) {}

  /** The worker connected and proved to be the process started: it takes messages now. */
  void connected(SupervisedWorker worker);

  /** Results of the tasks the worker ran. */
  void results(SupervisedWorker worker, ResultBatch batch);

  /** The worker gave back tasks it had not started. */
  default void revoked(SupervisedWorker worker, Revoked revoked) {}

  /**
   * The worker's process ended (how: {@link SupervisedWorker#describeExit()}) and the master has
   * already given back what it held: its locks, permits and taken items. Called once.
   */
  void gone(SupervisedWorker worker);

  /** Whom the worker serves, for status reports: a pool's name, a process, "idle". */
  default String describe() {
    return getClass().getSimpleName();
  }

  /** Tasks sent to the worker and not finished (running or prefetched), for status reports; -1 if not counted. */
  default int tasksOn(SupervisedWorker worker) {
    return -1;
  }
}

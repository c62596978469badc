package dev.jobengine.master.internal;

import dev.jobengine.AsyncResult;
import dev.jobengine.EngineProcess;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * What a test harness needs from an embedded engine to inject faults and to check that nothing
 * outlives it. Reached through {@link EngineImpl#faults()}; not part of the public API.
 */
public interface FaultHooks {
  /**
   * The pid of the worker running the task behind {@code result} right now; empty if none does.
   * IllegalArgumentException for a result that is not one {@code applyAsync} task's (a map's).
   */
  OptionalLong workerRunning(AsyncResult<?> result);

  /**
   * The next {@code count} worker JVMs the engine starts fail on their own before they connect:
   * they are given a heap too small to start ({@code -Xms1k -Xmx1k}), so they exit with status 1 and say so.
   */
  void failWorkerStarts(int count);

  /**
   * Every worker that connects from now on is accepted by the master only after {@code delay}
   * (zero: no delay), as if its JVM were slow to start; the startup timeout still applies.
   */
  void delayWorkerStarts(Duration delay);

  /**
   * Cuts the connection of the worker or process with this pid as a network fault would: its
   * streams to the master fail on both sides. False if the engine has no connected worker with
   * that pid.
   */
  boolean cutConnection(long pid);

  /** The pid of a started process's worker JVM, or empty before it started. */
  OptionalLong pidOf(EngineProcess process);

  /** Every worker JVM this engine started (pools, processes, standby) whose end it has not seen. */
  List<ProcessHandle> liveWorkers();
}

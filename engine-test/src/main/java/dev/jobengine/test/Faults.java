package dev.jobengine.test;

import dev.jobengine.AsyncResult;
import dev.jobengine.EngineProcess;
import dev.jobengine.master.internal.FaultHooks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Fault injection into the engine of the current test: kill or stop the worker JVM running a task,
 * make worker starts fail or slow, cut a worker's connection. {@link JobEngineExtension} hands one to
 * a test through a parameter or a field of this type; it acts on that test's engine only.
 *
 * <p>Every wait here is bounded: the forms without a timeout wait at most {@link #DEFAULT_WAIT}, and
 * a wait that runs out fails with an {@link AssertionError} that says what it waited for. The pid a
 * method finds is the one of the worker running the task at that moment: a task that ends between
 * the look-up and the signal leaves its worker to take the next one, which then gets the signal.
 */
public final class Faults {
  /** How long the forms without a timeout wait for a task to run on a worker: 30 s. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

  private static final Duration EXIT_BOUND = Duration.ofSeconds(10);

  private final Supplier<FaultHooks> hooks;
  private final List<StoppedWorker> stopped = new CopyOnWriteArrayList<>();

  Faults(Supplier<FaultHooks> hooks) {
    this.hooks = hooks;
  }

  /**
   * Waits until the task behind {@code result} runs on a worker and returns that worker's pid.
   *
   * @param result the result of one task ({@link dev.jobengine.Pool#applyAsync}) of this engine's
   *     pools; a map's result runs on no single worker
   * @param timeout how long to wait at most
   * @return the pid of the worker running the task
   * @throws AssertionError if the task finished first, or nothing ran it within {@code timeout}
   * @throws IllegalArgumentException if {@code result} is not one task's of this engine's pools
   * @throws IllegalStateException if the calling thread is interrupted while waiting
   */
  public long awaitWorkerRunning(AsyncResult<?> result, Duration timeout) {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(timeout, "timeout");
    AtomicLong pid = new AtomicLong(-1);
    boolean seen = BoundedWait.until(timeout, () -> {
      OptionalLong running = hooks.get().workerRunning(result);
      running.ifPresent(pid::set);
      return running.isPresent() || result.isDone();
    });
    if (pid.get() >= 0) {
      return pid.get();
    }
    if (result.isDone()) {
      throw new AssertionError("the task finished (" + outcome(result) + ") before it was seen running on a worker");
    }
    if (!seen && Thread.currentThread().isInterrupted()) {
      throw new IllegalStateException("interrupted while waiting for the task to run on a worker");
    }
    throw new AssertionError("waited " + timeout.toMillis() + " ms for the task to run on a worker, but no worker ran it"
        + "; live workers: " + pids(hooks.get().liveWorkers()));
  }

  /**
   * {@link #killWorkerRunning(AsyncResult, Duration)} waiting at most {@link #DEFAULT_WAIT}.
   *
   * @param result the result of one task of this engine's pools
   * @return the pid of the killed worker
   */
  public long killWorkerRunning(AsyncResult<?> result) {
    return killWorkerRunning(result, DEFAULT_WAIT);
  }

  /**
   * Waits until the task behind {@code result} runs on a worker, kills that worker with SIGKILL,
   * waits until it has exited, and returns its pid. The task then fails or runs again as the pool's
   * options say (a {@code WorkerLostException}, or a retry).
   *
   * @param result the result of one task of this engine's pools
   * @param timeout how long to wait at most for the task to run
   * @return the pid of the killed worker
   * @throws AssertionError if the task finished first, nothing ran it within {@code timeout}, or
   *     the worker did not exit within 10 s of the signal
   * @throws IllegalStateException if the worker ended before it could be killed, or the calling
   *     thread is interrupted while waiting
   */
  public long killWorkerRunning(AsyncResult<?> result, Duration timeout) {
    long pid = awaitWorkerRunning(result, timeout);
    kill(pid);
    return pid;
  }

  /**
   * {@link #stopWorkerRunning(AsyncResult, Duration)} waiting at most {@link #DEFAULT_WAIT}.
   *
   * @param result the result of one task of this engine's pools
   * @return the stopped worker, to resume
   */
  public StoppedWorker stopWorkerRunning(AsyncResult<?> result) {
    return stopWorkerRunning(result, DEFAULT_WAIT);
  }

  /**
   * Waits until the task behind {@code result} runs on a worker and stops that worker with SIGSTOP,
   * as {@link #stop(long)} does.
   *
   * @param result the result of one task of this engine's pools
   * @param timeout how long to wait at most for the task to run
   * @return the stopped worker, to resume
   * @throws AssertionError if the task finished first, nothing ran it within {@code timeout}, or
   *     the worker was not seen stopped within 10 s of the signal
   */
  public StoppedWorker stopWorkerRunning(AsyncResult<?> result, Duration timeout) {
    return stop(awaitWorkerRunning(result, timeout));
  }

  /**
   * Stops the worker JVM {@code pid} of this engine with SIGSTOP (the {@code kill -STOP} command) and
   * returns once it is stopped. Resume it with {@link StoppedWorker#resume()}; the extension resumes
   * it after the test otherwise.
   *
   * @param pid the pid of a live worker JVM of this engine
   * @return the stopped worker, to resume
   * @throws IllegalArgumentException if {@code pid} is no live worker of this engine
   * @throws IllegalStateException if the worker ended meanwhile, or the {@code kill} command fails
   * @throws AssertionError if the worker was not seen stopped within 10 s of the signal
   */
  public StoppedWorker stop(long pid) {
    requireLiveWorker(pid);
    StoppedWorker worker = StoppedWorker.stop(pid);
    stopped.add(worker);
    return worker;
  }

  /**
   * The next {@code count} worker JVMs the engine starts fail before they connect: each exits with
   * status 1 and says why (a heap too small to start), as a JVM with a bad option does.
   *
   * @param count how many starts fail; 0 to fail none from now on
   * @throws IllegalArgumentException if {@code count} is negative
   */
  public void failWorkerStarts(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, was " + count);
    }
    hooks.get().failWorkerStarts(count);
  }

  /**
   * Every worker that connects from now on is accepted only after {@code delay}, as if its JVM were
   * slow to start; {@link Duration#ZERO} ends the delay. The engine's startup timeout still applies.
   *
   * @param delay how long each connecting worker waits to be accepted
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public void delayWorkerStarts(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, was " + delay);
    }
    hooks.get().delayWorkerStarts(delay);
  }

  /**
   * Cuts the connection between the master and the started {@code process}'s JVM as a network fault
   * would: its streams fail on both sides.
   *
   * @param process a started process of this engine
   * @throws IllegalStateException if the process has not started, or its JVM is not connected
   */
  public void cutConnection(EngineProcess process) {
    Objects.requireNonNull(process, "process");
    OptionalLong pid = hooks.get().pidOf(process);
    if (pid.isEmpty()) {
      throw new IllegalStateException("process " + process.name() + " has not started; there is no connection to cut");
    }
    cutConnection(pid.getAsLong());
  }

  /**
   * Cuts the connection between the master and the worker JVM {@code pid} (of a pool or a process).
   *
   * @param pid the pid of a connected worker JVM of this engine
   * @throws IllegalStateException if this engine has no connected worker with that pid
   */
  public void cutConnection(long pid) {
    if (!hooks.get().cutConnection(pid)) {
      throw new IllegalStateException("the engine has no connected worker with pid " + pid
          + "; live workers: " + pids(hooks.get().liveWorkers()));
    }
  }

  /**
   * The worker JVMs of this engine whose end it has not seen: pools', processes' and standby ones.
   *
   * @return their process handles, a snapshot
   */
  public List<ProcessHandle> liveWorkers() {
    return hooks.get().liveWorkers();
  }

  /** Resumes every worker the test left stopped; returns what could not be resumed. */
  List<String> resumeStopped() {
    List<String> problems = new ArrayList<>();
    for (StoppedWorker worker : stopped) {
      try {
        worker.resume();
      } catch (RuntimeException e) {
        problems.add("could not resume stopped worker " + worker.pid() + ": " + e.getMessage());
      }
    }
    stopped.clear();
    return problems;
  }

  private void kill(long pid) {
    ProcessHandle process = ProcessHandle.of(pid).orElse(null);
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("worker " + pid + " ended before it could be killed");
    }
    process.destroyForcibly();
    try {
      process.onExit().get(EXIT_BOUND.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("worker " + pid + " was sent SIGKILL but did not exit within " + EXIT_BOUND, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for killed worker " + pid + " to exit", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private void requireLiveWorker(long pid) {
    List<ProcessHandle> live = hooks.get().liveWorkers();
    if (live.stream().noneMatch(p -> p.pid() == pid)) {
      throw new IllegalArgumentException(pid + " is not a live worker of this engine; live workers: " + pids(live));
    }
  }

  private static List<Long> pids(List<ProcessHandle> processes) {
    return processes.stream().map(ProcessHandle::pid).toList();
  }

  private static String outcome(AsyncResult<?> result) {
    if (result.isCancelled()) {
      return "cancelled";
    }
    return result.successful() ? "successfully" : "with a failure";
  }
}

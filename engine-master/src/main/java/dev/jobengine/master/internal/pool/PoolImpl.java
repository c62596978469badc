package dev.jobengine.master.internal.pool;

import com.google.protobuf.ByteString;
import dev.jobengine.AsyncResult;
import dev.jobengine.Callback;
import dev.jobengine.Fn;
import dev.jobengine.JobEngineException;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.Progress;
import dev.jobengine.RemoteTaskException;
import dev.jobengine.ResultIterator;
import dev.jobengine.Task;
import dev.jobengine.core.tasks.ChunkTask;
import dev.jobengine.core.wire.Payloads;
import dev.jobengine.master.internal.metrics.PoolCounters;
import dev.jobengine.master.internal.supervisor.WorkerSupervisor;
import dev.jobengine.proto.Artifact;
import dev.jobengine.proto.Serve;
import io.grpc.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link Pool}: encodes tasks in the submitting thread (so a task that cannot be serialized
 * fails there), makes their results, and hands them to the pool's {@link PoolWorkers}.
 */
public final class PoolImpl implements Pool {
  private final PoolOptions options;
  private final String name;
  private final Payloads payloads;
  private final CallbackExecutor callbacks;
  private final PoolBackend workers;
  private final PoolCounters counters;
  private final AtomicLong taskIds = new AtomicLong();

  /**
   * A pool called {@code name} whose workers {@code supervisor} starts, its tasks counted in {@code
   * counters}, its code that of {@code loaders}; see {@link #start()}.
   */
  public PoolImpl(PoolOptions options, String name, WorkerSupervisor supervisor, Payloads payloads,
      PoolCounters counters, List<ClassLoader> loaders) {
    this.options = options;
    this.name = name;
    this.payloads = payloads;
    this.counters = counters;
    this.callbacks = new CallbackExecutor(name + "-callbacks");
    this.workers = new PoolWorkers(name, options, supervisor, payloads, callbacks,
        supervisor.serve(name, options, loaders));
    workers.allExited().whenComplete((done, e) -> supervisor.servedClasses().remove(name));
  }

  /** A pool whose tasks go to {@code backend} (a daemon's pool, or a test's). */
  PoolImpl(PoolOptions options, String name, Payloads payloads, CallbackExecutor callbacks, PoolBackend backend,
      PoolCounters counters) {
    this.options = options;
    this.name = name;
    this.payloads = payloads;
    this.counters = counters;
    this.callbacks = callbacks;
    this.workers = backend;
  }

  /**
   * A connected engine's pool: its tasks run on the workers of the daemon behind {@code channel},
   * whose code is {@code classPath}; see {@link DaemonPool}. Throws JobEngineException when the
   * daemon refuses it. Its tasks are counted in {@code counters}.
   */
  public static PoolImpl onDaemon(PoolOptions options, String name, Payloads payloads, Channel channel,
      List<Artifact> classPath, PoolCounters counters) {
    CallbackExecutor callbacks = new CallbackExecutor(name + "-callbacks");
    DaemonPool backend = DaemonPool.open(options, name, payloads, callbacks, channel, classPath);
    return new PoolImpl(options, name, payloads, callbacks, backend, counters);
  }

  /** Starts the workers; they connect in the background while tasks queue. */
  public void start() {
    if (workers instanceof PoolWorkers w) {
      w.start();
    }
  }

  // ---- submission ------------------------------------------------------------------------------

  @Override
  public <R> AsyncResult<R> applyAsync(Task<R> task) {
    return applyAsync(task, null, null);
  }

  @Override
  public <R> AsyncResult<R> applyAsync(Task<R> task, Callback<? super R> callback) {
    return applyAsync(task, Objects.requireNonNull(callback, "callback"), null);
  }

  @Override
  public <R> AsyncResult<R> applyAsync(
      Task<R> task, Callback<? super R> callback, Callback<? super Throwable> errorCallback) {
    Objects.requireNonNull(task, "task");
    ByteString payload = payloads.encode(task, () -> "task " + task.getClass().getName());
    AsyncResultImpl<R> result = new AsyncResultImpl<>(callbacks);
    PendingTask pending = new PendingTask(taskIds.incrementAndGet(), payload,
        new SingleOutcome<>(result, callback, errorCallback, callbacks, payloads), counters);
    result.onCancel(mayInterrupt -> workers.cancel(pending, mayInterrupt));
    result.onRunningQuery(() -> workers.runningOn(pending));
    submit(List.of(pending));
    return result;
  }

  @Override
  public <R> R apply(Task<R> task) throws RemoteTaskException, InterruptedException {
    return await(applyAsync(task));
  }

  @Override
  public <T, R> List<R> map(Fn<? super T, ? extends R> fn, Iterable<? extends T> items) {
    return awaitMap(submitMap(fn, items, DEFAULT_CHUNKSIZE));
  }

  @Override
  public <T, R> List<R> map(Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
    return awaitMap(submitMap(fn, items, checkChunksize(chunksize)));
  }

  private <R> List<R> awaitMap(AsyncResult<List<R>> result) {
    try {
      return await(result);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobEngineException("interrupted while waiting for map results", e);
    }
  }

  @Override
  public <T, R> AsyncResult<List<R>> mapAsync(Fn<? super T, ? extends R> fn, Iterable<? extends T> items) {
    return submitMap(fn, items, DEFAULT_CHUNKSIZE);
  }

  @Override
  public <T, R> AsyncResult<List<R>> mapAsync(
      Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
    return submitMap(fn, items, checkChunksize(chunksize));
  }

  /** Stands for "no chunksize given": {@link #defaultChunksize} of the number of items. */
  private static final int DEFAULT_CHUNKSIZE = 0;

  private <T, R> AsyncResult<List<R>> submitMap(
      Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
    Objects.requireNonNull(fn, "fn");
    List<Object> all = new ArrayList<>();
    items.forEach(all::add);
    int size = chunksize == DEFAULT_CHUNKSIZE ? defaultChunksize(all.size()) : chunksize;
    return MapCollector.submit(this, fn, all, size);
  }

  @Override
  public <T, R> ResultIterator<R> imap(Fn<? super T, ? extends R> fn, Iterable<? extends T> items) {
    return imap(fn, items, 1);
  }

  @Override
  public <T, R> ResultIterator<R> imap(
      Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
    return new ImapIterator<>(this, fn, items.iterator(), sizeOf(items), checkChunksize(chunksize), true);
  }

  @Override
  public <T, R> ResultIterator<R> imapUnordered(Fn<? super T, ? extends R> fn, Iterable<? extends T> items) {
    return imapUnordered(fn, items, 1);
  }

  @Override
  public <T, R> ResultIterator<R> imapUnordered(
      Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
    return new ImapIterator<>(this, fn, items.iterator(), sizeOf(items), checkChunksize(chunksize), false);
  }

  /** How many items there are, if {@code items} says so without being read. */
  private static long sizeOf(Iterable<?> items) {
    return items instanceof java.util.Collection<?> c ? c.size() : Progress.UNKNOWN;
  }

  private static int checkChunksize(int chunksize) {
    if (chunksize < 1) {
      throw new IllegalArgumentException("chunksize must be at least 1, was " + chunksize);
    }
    return chunksize;
  }

  /** Python's default: ceil(n / (4 * workers)). */
  int defaultChunksize(int n) {
    return Math.max(1, (n + 4 * size() - 1) / (4 * size()));
  }

  /** Encodes one chunk of a map as a task; throws TaskSerializationException before anything is sent. */
  PendingTask chunk(Fn<?, ?> fn, List<?> items, PendingTask.Outcome outcome) {
    ByteString payload = payloads.encode(new ChunkTask(fn, items), "map chunk of " + items.size() + " items");
    return new PendingTask(taskIds.incrementAndGet(), payload, outcome, counters);
  }

  CallbackExecutor callbacks() {
    return callbacks;
  }

  Payloads payloads() {
    return payloads;
  }

  /** Withdraws a task that has not started (see {@link PoolWorkers#cancel}). */
  boolean cancel(PendingTask task) {
    return workers.cancel(task, false);
  }

  /**
   * The pid of the worker running the task behind {@code result} now, if one is; {@link
   * IllegalArgumentException} for a result that is not one task's of an embedded pool (a map's).
   */
  public static OptionalLong runningOn(AsyncResult<?> result) {
    if (result instanceof AsyncResultImpl<?> r) {
      return r.runningOn();
    }
    throw new IllegalArgumentException(result + " is not the result of a task of this engine's pools");
  }

  /** Tasks that ran again after their worker was lost. */
  public long retried() {
    return workers.retried();
  }

  /** Its name, state and task counts now, for status reports. */
  public PoolStats stats() {
    return workers instanceof PoolWorkers w ? w.stats()
        : new PoolStats(name, options.workers(), 0, workers.state().name(), 0, 0, 0);
  }

  /** Queues tasks, or throws IllegalStateException when the pool takes no more. */
  void submit(List<PendingTask> tasks) {
    counters.submitted(tasks.size()); // before: a task may settle before submit returns
    try {
      workers.submit(tasks);
    } catch (RuntimeException refused) {
      counters.submitted(-tasks.size());
      throw refused;
    }
  }

  /** Its task counts. */
  public PoolCounters counters() {
    return counters;
  }

  private static <R> R await(AsyncResult<R> result) throws InterruptedException {
    try {
      return result.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof JobEngineException je) {
        throw je;
      }
      throw new JobEngineException("task failed: " + e.getCause(), e.getCause());
    }
  }

  // ---- life cycle ------------------------------------------------------------------------------

  @Override
  public int size() {
    return options.workers();
  }

  @Override
  public List<Long> workerPids() {
    return workers.pids();
  }

  @Override
  public void close() {
    workers.close();
  }

  @Override
  public void terminate() {
    workers.terminate();
  }

  @Override
  public void join() throws InterruptedException {
    checkNotRunning();
    callbacks.checkNotWaitingOnItself("join()"); // it waits for this very thread to finish
    try {
      workers.allExited().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    callbacks.awaitTermination(Duration.ofDays(365));
  }

  @Override
  public boolean join(Duration timeout) throws InterruptedException {
    checkNotRunning();
    callbacks.checkNotWaitingOnItself("join(timeout)");
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      workers.allExited().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    return callbacks.awaitTermination(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  private void checkNotRunning() {
    if (workers.state() == PoolBackend.State.RUNNING) {
      throw new IllegalStateException(name + " is RUNNING: call close() or terminate() before join()");
    }
  }

  @Override
  public String toString() {
    return workers.toString();
  }
}

package dev.jobengine.master.internal;

import com.google.protobuf.ByteString;
import dev.jobengine.AsyncResult;
import dev.jobengine.Callback;
import dev.jobengine.Fn;
import dev.jobengine.JobEngineException;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.PoolTerminatedException;
import dev.jobengine.RemoteTaskException;
import dev.jobengine.ResultIterator;
import dev.jobengine.Task;
import dev.jobengine.WorkerLostException;
import dev.jobengine.internal.ChunkTask;
import dev.jobengine.internal.wire.Failures;
import dev.jobengine.proto.Hello;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.ResultBatch;
import dev.jobengine.proto.Revoked;
import dev.jobengine.proto.TaskResult;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The pool: worker life cycle, task submission, and results coming back. */
final class PoolImpl implements Pool {
  private static final Logger log = LoggerFactory.getLogger(PoolImpl.class);
  /** Consecutive start-up failures, with no worker connected, after which the pool gives up. */
  private static final int MAX_START_FAILURES = 3;
  /** Payload bytes a worker may hold beyond its first task (prefetch is also bounded in count). */
  static final long PREFETCH_BYTES = 8 << 20;

  enum State { RUNNING, CLOSED, TERMINATED, BROKEN }

  private final PoolContext ctx;
  private final PoolOptions options;
  private final String name;
  private final Scheduler<PendingTask> scheduler;
  private final CallbackExecutor callbacks;
  private final Map<Integer, WorkerProcess> workers = new ConcurrentHashMap<>();
  private final AtomicLong taskIds = new AtomicLong();
  private final CompletableFuture<Void> allExited = new CompletableFuture<>();
  private final Object lock = new Object();
  private State state = State.RUNNING;
  private String brokenReason;
  private int startFailures;
  private boolean retired;

  PoolImpl(PoolContext ctx, PoolOptions options, String name) {
    this.ctx = ctx;
    this.options = options;
    this.name = name;
    this.scheduler = new Scheduler<>(options.prefetch(), PREFETCH_BYTES);
    this.callbacks = new CallbackExecutor(name + "-callbacks");
  }

  /** Starts the workers; they connect in the background while tasks queue. */
  void start() {
    for (int i = 0; i < options.workers(); i++) {
      launchWorker();
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
    ByteString payload = ctx.payloads().encode(task, "task " + task.getClass().getName());
    AsyncResultImpl<R> result = new AsyncResultImpl<>(callbacks);
    PendingTask pending =
        new PendingTask(
            taskIds.incrementAndGet(),
            payload,
            new SingleOutcome<>(result, callback, errorCallback, callbacks, ctx.payloads()));
    result.onCancel(() -> scheduler.cancel(pending));
    submit(List.of(pending));
    return result;
  }

  @Override
  public <R> R apply(Task<R> task) throws RemoteTaskException, InterruptedException {
    return await(applyAsync(task));
  }

  @Override
  public <T, R> List<R> map(Fn<? super T, ? extends R> fn, Iterable<? extends T> items) {
    return map(fn, items, 0);
  }

  @Override
  public <T, R> List<R> map(Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
    try {
      return await(mapAsync(fn, items, chunksize));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobEngineException("interrupted while waiting for map results", e);
    }
  }

  @Override
  public <T, R> AsyncResult<List<R>> mapAsync(Fn<? super T, ? extends R> fn, Iterable<? extends T> items) {
    return mapAsync(fn, items, 0);
  }

  @Override
  public <T, R> AsyncResult<List<R>> mapAsync(
      Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
    Objects.requireNonNull(fn, "fn");
    List<Object> all = new ArrayList<>();
    items.forEach(all::add);
    int size = chunksize > 0 ? chunksize : defaultChunksize(all.size());
    return MapCollector.submit(this, fn, all, size);
  }

  @Override
  public <T, R> ResultIterator<R> imap(Fn<? super T, ? extends R> fn, Iterable<? extends T> items) {
    return imap(fn, items, 1);
  }

  @Override
  public <T, R> ResultIterator<R> imap(
      Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
    return new ImapIterator<>(this, fn, items.iterator(), checkChunksize(chunksize), true);
  }

  @Override
  public <T, R> ResultIterator<R> imapUnordered(Fn<? super T, ? extends R> fn, Iterable<? extends T> items) {
    return imapUnordered(fn, items, 1);
  }

  @Override
  public <T, R> ResultIterator<R> imapUnordered(
      Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize) {
    return new ImapIterator<>(this, fn, items.iterator(), checkChunksize(chunksize), false);
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
    ByteString payload = ctx.payloads().encode(new ChunkTask(fn, items), "map chunk of " + items.size() + " items");
    return new PendingTask(taskIds.incrementAndGet(), payload, outcome);
  }

  CallbackExecutor callbacks() {
    return callbacks;
  }

  dev.jobengine.internal.wire.Payloads payloads() {
    return ctx.payloads();
  }

  boolean cancel(PendingTask task) {
    return scheduler.cancel(task);
  }

  /** Queues tasks, or throws IllegalStateException when the pool takes no more. */
  void submit(List<PendingTask> tasks) {
    List<Scheduler.Assignment<PendingTask>> assignments;
    synchronized (lock) {
      if (state != State.RUNNING) {
        throw new IllegalStateException(
            "pool is " + state + (brokenReason == null ? "" : " (" + brokenReason + ")") + ": it takes no new tasks");
      }
      assignments = tasks.size() == 1 ? scheduler.submit(tasks.get(0)) : scheduler.submitAll(tasks);
    }
    dispatch(assignments);
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

  private void dispatch(List<Scheduler.Assignment<PendingTask>> assignments) {
    if (!assignments.isEmpty()) {
      WorkerMessages.tasks(assignments).forEach((id, message) -> {
        WorkerProcess w = workers.get(id);
        if (w != null) {
          w.send(message);
        }
      });
    }
  }

  /** Asks a busy worker to give back unstarted tasks when another worker has nothing to do. */
  private void stealForIdleWorkers() {
    scheduler.steal().ifPresent(steal -> {
      WorkerProcess victim = workers.get(steal.workerId());
      if (victim != null) {
        victim.send(WorkerMessages.revoke(steal.tasks()));
      }
    });
  }

  // ---- workers ---------------------------------------------------------------------------------

  /** Adopts a standby worker if one fits, or starts a JVM. */
  private void launchWorker() {
    WorkerProcess worker;
    try {
      worker = ctx.startWorker(options, w -> {
        workers.put(w.id(), w); // before its hello can reach the endpoint
        return new Endpoint(w);
      });
    } catch (IOException e) {
      log.error("{}: cannot start a worker JVM", name, e);
      onStartFailure("cannot start " + WorkerLauncher.javaExecutable() + ": " + e.getMessage());
      return;
    }
    worker.process().onExit().thenRun(() -> onWorkerGone(worker));
    ctx.timer().schedule(
        () -> {
          if (!worker.connected() && worker.process().isAlive()) {
            log.warn("{}: {} did not connect within {}; killing it", name, worker, options.startupTimeout());
            worker.process().destroyForcibly();
          }
        },
        options.startupTimeout().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private final class Endpoint implements WorkerEndpoint {
    private final WorkerProcess worker;

    Endpoint(WorkerProcess worker) {
      this.worker = worker;
    }

    @Override
    public void connected(Hello hello, StreamObserver<MasterMessage> out) {
      if (hello.getPid() != worker.pid()) {
        log.warn("{}: {} reported pid {}; refused", name, worker, hello.getPid());
        out.onError(Status.FAILED_PRECONDITION.withDescription("pid mismatch").asRuntimeException());
        return;
      }
      worker.attach(out);
      synchronized (lock) {
        startFailures = 0;
        if (state == State.TERMINATED || state == State.BROKEN) {
          worker.terminate();
          return;
        }
      }
      dispatch(scheduler.addWorker(worker.id()));
      stealForIdleWorkers();
      retireIfDrained();
    }

    @Override
    public void results(ResultBatch batch) {
      // First refill the workers, in one message each, then deliver the outcomes.
      List<TaskResult> results = batch.getResultsList();
      List<PendingTask> finished = new ArrayList<>(results.size());
      List<Scheduler.Assignment<PendingTask>> next = new ArrayList<>();
      for (TaskResult r : results) {
        Scheduler.Completion<PendingTask> c = scheduler.complete(worker.id(), r.getTaskId());
        next.addAll(c.next());
        finished.add(c.task());
      }
      dispatch(next);
      for (int i = 0; i < results.size(); i++) {
        PendingTask task = finished.get(i);
        TaskResult r = results.get(i);
        if (task != null) {
          if (r.hasFailure()) {
            task.outcome().failed(Failures.toException(r.getFailure(), ctx.payloads()));
          } else {
            task.outcome().succeeded(r.getValue());
          }
        }
      }
      stealForIdleWorkers();
      retireIfDrained();
    }

    @Override
    public void revoked(Revoked revoked) {
      dispatch(scheduler.revoked(worker.id(), revoked.getTaskIdsList()));
      stealForIdleWorkers();
    }

    @Override
    public void disconnected(Throwable cause) {
      if (worker.process().isAlive()) {
        // A worker without its stream is of no use: make sure it ends; onExit does the rest.
        ctx.timer().schedule(() -> { worker.process().destroyForcibly(); }, 1, TimeUnit.SECONDS);
      }
    }
  }

  private void onWorkerGone(WorkerProcess worker) {
    if (!worker.markGone()) {
      return;
    }
    ctx.hub().unregister(worker.id());
    workers.remove(worker.id());
    worker.closeStdin();
    ctx.objects().sessionEnded(worker.id());
    Scheduler.Loss<PendingTask> loss = scheduler.removeWorker(worker.id());
    dispatch(loss.reassigned());
    String how = worker.describeExit();
    if (loss.running() != null) {
      loss.running().outcome().failed(new WorkerLostException(
          worker + " died while running task " + loss.running().taskId() + ": " + how));
    }
    boolean replace;
    synchronized (lock) {
      if (!worker.connected() && !worker.retiring()) {
        startFailures++;
      }
      replace = !worker.retiring() && (state == State.RUNNING || (state == State.CLOSED && !scheduler.idle()));
      if (replace && !worker.connected() && startFailures >= MAX_START_FAILURES && scheduler.workerCount() == 0) {
        replace = false;
        brokenReason = "worker JVMs fail to start; the last one: " + how;
      }
    }
    if (replace) {
      log.warn("{}: {} ended unexpectedly ({}); starting a replacement", name, worker, how);
      launchWorker();
    } else if (brokenReason != null && !worker.retiring()) {
      onStartFailure(brokenReason);
    }
    finishIfDone();
  }

  private void onStartFailure(String reason) {
    synchronized (lock) {
      if (state == State.TERMINATED || state == State.BROKEN) {
        return;
      }
      state = State.BROKEN;
      brokenReason = reason;
    }
    log.error("{} is broken: {}", name, reason);
    for (PendingTask t : scheduler.drain()) {
      t.outcome().failed(new WorkerLostException(name + " is broken: " + reason));
    }
    workers.values().forEach(WorkerProcess::terminate);
    finishIfDone();
  }

  /** After close(): once nothing is queued or running, ask every worker to exit. */
  private void retireIfDrained() {
    synchronized (lock) {
      if (state != State.CLOSED || retired || !scheduler.idle()) {
        return;
      }
      retired = true;
    }
    workers.values().forEach(WorkerProcess::retire);
    finishIfDone();
  }

  private void finishIfDone() {
    synchronized (lock) {
      if (state == State.RUNNING || !workers.isEmpty() || allExited.isDone()) {
        return;
      }
    }
    callbacks.shutdown();
    allExited.complete(null);
  }

  // ---- life cycle ------------------------------------------------------------------------------

  @Override
  public int size() {
    return options.workers();
  }

  @Override
  public List<Long> workerPids() {
    return workers.values().stream()
        .sorted(Comparator.comparingInt(WorkerProcess::id))
        .map(WorkerProcess::pid)
        .toList();
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (state == State.RUNNING) {
        state = State.CLOSED;
      }
    }
    retireIfDrained();
  }

  @Override
  public void terminate() {
    synchronized (lock) {
      if (state == State.TERMINATED) {
        return;
      }
      state = State.TERMINATED;
    }
    for (PendingTask t : scheduler.drain()) {
      t.outcome().failed(new PoolTerminatedException(name + " was terminated before the task completed"));
    }
    for (WorkerProcess w : workers.values()) {
      w.terminate();
      ctx.timer().schedule(
          () -> { w.process().destroyForcibly(); },
          ctx.shutdownTimeout().toMillis(),
          TimeUnit.MILLISECONDS);
    }
    finishIfDone();
  }

  @Override
  public void join() throws InterruptedException {
    checkNotRunning();
    try {
      allExited.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    callbacks.awaitTermination(Duration.ofDays(365));
  }

  @Override
  public boolean join(Duration timeout) throws InterruptedException {
    checkNotRunning();
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      allExited.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    return callbacks.awaitTermination(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  private void checkNotRunning() {
    synchronized (lock) {
      if (state == State.RUNNING) {
        throw new IllegalStateException(name + " is RUNNING: call close() or terminate() before join()");
      }
    }
  }

  State state() {
    synchronized (lock) {
      return state;
    }
  }

  @Override
  public String toString() {
    return name + "[" + state() + ", workers=" + workers.size() + ", queued=" + scheduler.pendingCount()
        + ", running=" + scheduler.inFlightCount() + "]";
  }
}

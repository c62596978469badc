package dev.jobengine.master.internal.pool;

import dev.jobengine.JobEngineException;
import dev.jobengine.PoolOptions;
import dev.jobengine.PoolTerminatedException;
import dev.jobengine.WorkerLostException;
import dev.jobengine.core.wire.Failures;
import dev.jobengine.core.wire.Payloads;
import dev.jobengine.proto.Artifact;
import dev.jobengine.proto.Failure;
import dev.jobengine.proto.LeasesGrpc;
import dev.jobengine.proto.OpenPool;
import dev.jobengine.proto.PoolCommand;
import dev.jobengine.proto.PoolEvent;
import dev.jobengine.proto.PoolRequest;
import dev.jobengine.proto.TaskAssignment;
import dev.jobengine.proto.TaskBatch;
import dev.jobengine.proto.TaskResult;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connected engine's pool backend: one Leases.Pool stream to the daemon, which runs the tasks
 * on workers it leases to this pool and sends the results back as the workers do. Tasks are
 * encoded here and decoded nowhere but in the workers, results here: the daemon never needs this
 * client's classes. Whatever ends the stream before the pool ended (the daemon gone, the network)
 * fails every unfinished task with {@link WorkerLostException}.
 */
final class DaemonPool implements PoolBackend {
  /** How long a call that waits for the daemon's answer (cancel, pids) may take. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
  /** Tasks travel in messages of about this many payload bytes at most. */
  private static final int BATCH_BYTES = 1 << 20;

  private final String name;
  private final Payloads payloads;
  private final CallbackExecutor callbacks;
  private final Map<Long, PendingTask> unfinished = new ConcurrentHashMap<>();
  private final Map<Long, CompletableFuture<PoolEvent>> calls = new ConcurrentHashMap<>();
  private final AtomicLong callIds = new AtomicLong();
  private final CompletableFuture<String> opened = new CompletableFuture<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final Object sendLock = new Object();
  private StreamObserver<PoolRequest> out; // guarded by sendLock
  private State state = State.RUNNING; // guarded by this
  private String brokenReason; // guarded by this

  private DaemonPool(String name, Payloads payloads, CallbackExecutor callbacks) {
    this.name = name;
    this.payloads = payloads;
    this.callbacks = callbacks;
  }

  /** Opens the pool on the daemon and waits until it accepts it (within the startup timeout). */
  static DaemonPool open(PoolOptions options, String name, Payloads payloads, CallbackExecutor callbacks, Channel channel,
      List<Artifact> classPath) {
    DaemonPool pool = new DaemonPool(name, payloads, callbacks);
    OpenPool.Builder open = OpenPool.newBuilder()
        .setName(name)
        .setWorkers(options.workers())
        .setRetries(options.retries())
        .setTaskTimeoutNanos(options.taskTimeout() == null ? 0 : options.taskTimeout().toNanos())
        .setMaxTasksPerChild(options.maxTasksPerChild())
        .setLivenessTimeoutNanos(options.livenessTimeout().toNanos())
        .setPrefetch(options.prefetch())
        .setStartupTimeoutNanos(options.startupTimeout().toNanos())
        .addAllClassPath(classPath);
    synchronized (pool.sendLock) {
      pool.out = LeasesGrpc.newStub(channel).pool(pool.new Inbound());
      pool.out.onNext(PoolRequest.newBuilder().setOpen(open).build());
    }
    Duration wait = options.startupTimeout().plus(CALL_TIMEOUT);
    try {
      pool.opened.get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      pool.callbacks.shutdown();
      throw new JobEngineException("the daemon refused " + name + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      pool.abandon("the daemon did not open it within " + wait);
      throw new JobEngineException("the daemon did not open " + name + " within " + wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pool.abandon("interrupted while opening");
      throw new JobEngineException("interrupted while opening " + name + " on the daemon", e);
    }
    return pool;
  }

  private void abandon(String why) {
    synchronized (sendLock) {
      out.onError(io.grpc.Status.CANCELLED.withDescription(why).asRuntimeException());
    }
    lost(why);
  }

  private void send(PoolRequest request) {
    synchronized (sendLock) {
      out.onNext(request);
    }
  }

  @Override
  public void submit(List<PendingTask> tasks) {
    synchronized (this) {
      if (state != State.RUNNING) {
        throw new IllegalStateException(
            name + " is " + state + (brokenReason == null ? "" : " (" + brokenReason + ")") + ": it takes no new tasks");
      }
      for (PendingTask t : tasks) {
        unfinished.put(t.taskId(), t);
      }
    }
    TaskBatch.Builder batch = TaskBatch.newBuilder();
    long bytes = 0;
    for (PendingTask t : tasks) {
      if (batch.getTasksCount() > 0 && bytes + t.bytes() > BATCH_BYTES) {
        send(PoolRequest.newBuilder().setTasks(batch).build());
        batch = TaskBatch.newBuilder();
        bytes = 0;
      }
      batch.addTasks(TaskAssignment.newBuilder().setTaskId(t.taskId()).setPayload(t.payload()));
      bytes += t.bytes();
    }
    send(PoolRequest.newBuilder().setTasks(batch).build());
  }

  /** Sends a request and waits, at most {@link #CALL_TIMEOUT}, for the daemon's answer; null if none came. */
  private PoolEvent call(PoolRequest.Builder request) {
    long id = callIds.incrementAndGet();
    CompletableFuture<PoolEvent> answer = new CompletableFuture<>();
    calls.put(id, answer);
    try {
      send(request.setCallId(id).build());
      return answer.get(CALL_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      calls.remove(id);
    }
  }

  @Override
  public boolean cancel(PendingTask task, boolean mayInterrupt) {
    if (task.abandoned()) {
      return false;
    }
    PoolRequest.Builder r = PoolRequest.newBuilder();
    if (mayInterrupt) {
      r.setInterrupt(task.taskId());
    } else {
      r.setCancel(task.taskId());
    }
    PoolEvent answer = call(r);
    if (answer == null || !answer.getAnswer()) {
      return false;
    }
    unfinished.remove(task.taskId());
    return task.withdraw();
  }

  @Override
  public OptionalLong runningOn(PendingTask task) {
    return OptionalLong.empty();
  }

  @Override
  public long retried() {
    return 0;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (state != State.RUNNING) {
        return;
      }
      state = State.CLOSED;
    }
    send(PoolRequest.newBuilder().setCommand(PoolCommand.CLOSE).build());
  }

  @Override
  public void terminate() {
    synchronized (this) {
      if (state == State.TERMINATED) {
        return;
      }
      state = State.TERMINATED;
    }
    PoolTerminatedException terminated = new PoolTerminatedException(name + " was terminated before the task completed");
    failAll(() -> terminated);
    send(PoolRequest.newBuilder().setCommand(PoolCommand.TERMINATE).build());
  }

  private void failAll(java.util.function.Supplier<? extends JobEngineException> failure) {
    for (Long id : List.copyOf(unfinished.keySet())) {
      PendingTask t = unfinished.remove(id);
      if (t != null) {
        t.fail(failure);
      }
    }
  }

  @Override
  public CompletableFuture<Void> allExited() {
    return ended;
  }

  @Override
  public synchronized State state() {
    return state;
  }

  @Override
  public List<Long> pids() {
    PoolEvent answer = call(PoolRequest.newBuilder().setCommand(PoolCommand.PIDS));
    return answer == null ? List.of() : List.copyOf(answer.getPids().getPidsList());
  }

  /** The stream ended before the pool did: every unfinished task fails, and the pool is done. */
  private void lost(String why) {
    synchronized (this) {
      if (state == State.RUNNING || state == State.CLOSED) {
        state = State.BROKEN;
        brokenReason = why;
      }
    }
    opened.completeExceptionally(new JobEngineException(why));
    if (!unfinished.isEmpty()) {
      WorkerLostException lost = new WorkerLostException(name + " lost its daemon: " + why);
      failAll(() -> lost);
    }
    finish();
  }

  private void finish() {
    if (!ended.isDone()) {
      callbacks.shutdown();
      ended.complete(null);
    }
  }

  private void deliver(List<TaskResult> results) {
    for (TaskResult r : results) {
      PendingTask task = unfinished.remove(r.getTaskId());
      if (task == null) {
        continue; // terminated or cancelled here meanwhile
      }
      if (!r.hasFailure()) {
        task.succeed(r.getValue());
      } else if (r.getFailure().getKind() == Failure.Kind.ENGINE_ERROR) {
        Failure f = r.getFailure();
        if (f.getClassName().equals(WorkerLostException.class.getName())) {
          task.lose(() -> Failures.toException(f, payloads));
        } else {
          task.fail(() -> Failures.toException(f, payloads));
        }
      } else {
        task.failRemotely(r.getFailure(), payloads);
      }
    }
  }

  @Override
  public String toString() {
    return name + "[" + state() + " on the daemon, unfinished=" + unfinished.size() + "]";
  }

  /** The daemon's events, on the transport's thread: nothing here blocks or decodes. */
  private final class Inbound implements StreamObserver<PoolEvent> {
    @Override
    public void onNext(PoolEvent e) {
      switch (e.getKindCase()) {
        case OPENED -> opened.complete(e.getOpened());
        case REFUSED -> opened.completeExceptionally(new JobEngineException(e.getRefused()));
        case RESULTS -> deliver(e.getResults().getResultsList());
        case ENDED -> {
          synchronized (DaemonPool.this) {
            if (state == State.RUNNING) {
              state = State.BROKEN;
              brokenReason = e.getEnded();
            }
          }
          if (!unfinished.isEmpty()) {
            WorkerLostException broken = new WorkerLostException(name + " ended on the daemon: " + e.getEnded());
            failAll(() -> broken);
          }
          finish();
        }
        default -> {
          CompletableFuture<PoolEvent> call = calls.get(e.getCallId());
          if (call != null) {
            call.complete(e);
          }
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      lost("the connection to the daemon broke: " + t.getMessage());
    }

    @Override
    public void onCompleted() {
      if (!ended.isDone()) {
        lost("the daemon ended the pool's stream");
      }
    }
  }
}

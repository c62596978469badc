package dev.jobengine.master.internal.pool;

import com.google.protobuf.ByteString;
import dev.jobengine.JobEngineException;
import dev.jobengine.PoolOptions;
import dev.jobengine.core.wire.Failures;
import dev.jobengine.core.wire.Payloads;
import dev.jobengine.master.internal.supervisor.WorkerSupervisor;
import dev.jobengine.proto.Failure;
import dev.jobengine.proto.OpenPool;
import dev.jobengine.proto.Pids;
import dev.jobengine.proto.PoolEvent;
import dev.jobengine.proto.PoolRequest;
import dev.jobengine.proto.ResultBatch;
import dev.jobengine.proto.Serve;
import dev.jobengine.proto.TaskAssignment;
import dev.jobengine.proto.TaskResult;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon's side of a client's pool (one Leases.Pool stream): the pool's {@link PoolWorkers} on
 * workers leased from the fleet, fed the client's encoded tasks, whose outcomes go back as they
 * come, undecoded. The daemon never loads the client's classes: a failure reported by a worker
 * travels as it is, and one the daemon makes itself (a lost worker, a timeout, termination) as an
 * {@link Failure.Kind#ENGINE_ERROR}. When the client's stream ends before the pool did (it closed
 * its engine without closing the pool, or died), the pool is terminated.
 */
public final class LeasedPool implements StreamObserver<PoolRequest> {
  private static final Logger log = LoggerFactory.getLogger(LeasedPool.class);

  /** What a leased pool needs from its daemon. */
  public interface Daemon {
    WorkerSupervisor supervisor();

    Payloads payloads();

    /** Whether the daemon takes new pools (false while it drains). */
    boolean accepting();

    /** Whether every artifact is in the daemon's store. */
    boolean stored(List<dev.jobengine.proto.Artifact> classPath);

    /** A unique name for a client's pool called {@code name}. */
    String poolName(String name, long session);

    void opened(LeasedPool pool);

    void ended(LeasedPool pool);
  }

  private final Daemon daemon;
  private final long session;
  private final ServerCallStreamObserver<PoolEvent> out;
  private final Map<Long, PendingTask> tasks = new ConcurrentHashMap<>();
  private volatile PoolWorkers workers;
  private volatile String name;
  private volatile int size;

  private LeasedPool(Daemon daemon, long session, ServerCallStreamObserver<PoolEvent> out) {
    this.daemon = daemon;
    this.session = session;
    this.out = out;
    out.setOnCancelHandler(this::clientGone);
  }

  /** Takes a new Leases.Pool stream of the client {@code session}. */
  public static StreamObserver<PoolRequest> accept(Daemon daemon, long session, StreamObserver<PoolEvent> out) {
    return new LeasedPool(daemon, session, (ServerCallStreamObserver<PoolEvent>) out);
  }

  public String name() {
    return name;
  }

  public long session() {
    return session;
  }

  public int size() {
    return size;
  }

  /** Its numbers for a status report; null while it opens. */
  public PoolStats stats() {
    PoolWorkers w = workers;
    return w == null ? null : w.stats();
  }

  /** Its workers' state, as PoolImpl's toString says it. */
  public String describe() {
    PoolWorkers w = workers;
    return w == null ? "opening" : w.toString();
  }

  /** Closes it as the client would: queued tasks still run (the daemon drains). */
  public void close() {
    PoolWorkers w = workers;
    if (w != null) {
      w.close();
    }
  }

  /** Ends it now: unfinished tasks fail. */
  public void terminate() {
    PoolWorkers w = workers;
    if (w != null) {
      w.terminate();
    }
  }

  /** Completes once the pool is done (its workers are back or gone). */
  public java.util.concurrent.CompletableFuture<Void> done() {
    PoolWorkers w = workers;
    return w == null ? java.util.concurrent.CompletableFuture.completedFuture(null) : w.allExited();
  }

  private void send(PoolEvent e) {
    synchronized (out) {
      try {
        out.onNext(e);
      } catch (RuntimeException closed) {
        log.debug("{}: the client's stream is closed", name, closed);
      }
    }
  }

  @Override
  public void onNext(PoolRequest r) {
    if (workers == null) {
      if (!r.hasOpen()) {
        refuse("the first request must open the pool");
        return;
      }
      open(r.getOpen());
      return;
    }
    PoolWorkers w = workers;
    switch (r.getKindCase()) {
      case TASKS -> submit(w, r.getTasks().getTasksList());
      case CANCEL -> answer(r.getCallId(), cancel(w, r.getCancel(), false));
      case INTERRUPT -> answer(r.getCallId(), cancel(w, r.getInterrupt(), true));
      case COMMAND -> {
        switch (r.getCommand()) {
          case CLOSE -> w.close();
          case TERMINATE -> w.terminate();
          case PIDS -> send(PoolEvent.newBuilder().setCallId(r.getCallId())
              .setPids(Pids.newBuilder().addAllPids(w.pids())).build());
          default -> log.debug("{}: ignoring command {}", name, r.getCommand());
        }
      }
      default -> log.debug("{}: ignoring request {}", name, r.getKindCase());
    }
  }

  private void open(OpenPool o) {
    if (!daemon.accepting()) {
      refuse("the daemon is shutting down: it takes no new pools");
      return;
    }
    PoolOptions options;
    try {
      PoolOptions.Builder b = PoolOptions.builder()
          .workers(o.getWorkers())
          .retries(o.getRetries())
          .maxTasksPerChild(o.getMaxTasksPerChild())
          .prefetch(o.getPrefetch());
      if (o.getTaskTimeoutNanos() > 0) {
        b.taskTimeout(Duration.ofNanos(o.getTaskTimeoutNanos()));
      }
      if (o.getLivenessTimeoutNanos() > 0) {
        b.livenessTimeout(Duration.ofNanos(o.getLivenessTimeoutNanos()));
      }
      if (o.getStartupTimeoutNanos() > 0) {
        b.startupTimeout(Duration.ofNanos(o.getStartupTimeoutNanos()));
      }
      options = b.build();
    } catch (RuntimeException e) {
      refuse("bad pool options: " + e.getMessage());
      return;
    }
    WorkerSupervisor supervisor = daemon.supervisor();
    int max = supervisor.maxWorkers();
    int leased = supervisor.leased();
    if (leased + options.workers() > max) {
      refuse("a pool of " + options.workers() + " workers does not fit: the daemon has --max-workers " + max + " and "
          + leased + " are leased");
      return;
    }
    if (!daemon.stored(o.getClassPathList())) {
      refuse("the pool's code is not all in the daemon's store (upload it first)");
      return;
    }
    name = daemon.poolName(o.getName(), session);
    size = options.workers();
    Serve serve = Serve.newBuilder().setLease(name).addAllClassPath(o.getClassPathList()).build();
    PoolWorkers w = new PoolWorkers(name, options, supervisor, daemon.payloads(), new CallbackExecutor(name + "-done"), serve);
    workers = w;
    daemon.opened(this);
    w.allExited().thenRun(() -> {
      daemon.ended(this);
      send(PoolEvent.newBuilder().setEnded(w.toString()).build());
      synchronized (out) {
        try {
          out.onCompleted();
        } catch (RuntimeException closed) {
          log.debug("{}: the client's stream is closed", name, closed);
        }
      }
    });
    send(PoolEvent.newBuilder().setOpened(name).build());
    log.info("{} opened for client {} with {} workers", name, session, options.workers());
    w.launchAll(); // an idle worker is leased at once; others are forked on the launcher thread
  }

  private void refuse(String why) {
    log.info("refused a pool of client {}: {}", session, why);
    send(PoolEvent.newBuilder().setRefused(why).build());
    synchronized (out) {
      try {
        out.onCompleted();
      } catch (RuntimeException closed) {
        log.debug("the client's stream is closed", closed);
      }
    }
  }

  private void submit(PoolWorkers w, List<TaskAssignment> batch) {
    List<PendingTask> pending = new java.util.ArrayList<>(batch.size());
    for (TaskAssignment a : batch) {
      PendingTask t = new PendingTask(a.getTaskId(), a.getPayload(), new Forward(a.getTaskId()));
      if (tasks.putIfAbsent(a.getTaskId(), t) != null) {
        t.fail(() -> new JobEngineException("task id " + a.getTaskId() + " was submitted twice to " + name));
        continue;
      }
      pending.add(t);
    }
    try {
      w.submit(pending);
    } catch (IllegalStateException e) {
      for (PendingTask t : pending) {
        t.fail(() -> new JobEngineException(e.getMessage()));
      }
    }
  }

  private boolean cancel(PoolWorkers w, long taskId, boolean mayInterrupt) {
    PendingTask t = tasks.get(taskId);
    return t != null && w.cancel(t, mayInterrupt) && tasks.remove(taskId) != null;
  }

  private void answer(long callId, boolean answer) {
    send(PoolEvent.newBuilder().setCallId(callId).setAnswer(answer).build());
  }

  private void clientGone() {
    PoolWorkers w = workers;
    if (w != null && !w.allExited().isDone()) {
      log.info("{}: its client {} went away; terminating it", name, session);
      w.terminate();
    }
  }

  @Override
  public void onError(Throwable t) {
    clientGone();
  }

  @Override
  public void onCompleted() {
    // the client half-closed after the pool ended; nothing more comes
  }

  /** Sends a task's outcome to the client as it is. */
  private final class Forward implements PendingTask.Outcome {
    private final long taskId;

    Forward(long taskId) {
      this.taskId = taskId;
    }

    private void result(TaskResult.Builder r) {
      tasks.remove(taskId);
      send(PoolEvent.newBuilder().setResults(ResultBatch.newBuilder().addResults(r.setTaskId(taskId))).build());
    }

    @Override
    public void succeeded(ByteString value) {
      result(TaskResult.newBuilder().setValue(value));
    }

    @Override
    public void failed(Supplier<? extends JobEngineException> failure) {
      result(TaskResult.newBuilder().setFailure(Failures.describe(failure.get(), Failure.Kind.ENGINE_ERROR, daemon.payloads())));
    }

    @Override
    public void failedRemotely(Failure failure, Payloads payloads) {
      result(TaskResult.newBuilder().setFailure(failure));
    }
  }
}

package dev.jobengine.master.internal.supervisor;

import dev.jobengine.PoolOptions;
import dev.jobengine.master.internal.hub.HubGrpcService;
import dev.jobengine.master.internal.hub.WorkerEndpoint;
import dev.jobengine.proto.Hello;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.ResultBatch;
import dev.jobengine.proto.Revoked;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the lives of the engine's worker JVMs, for pools, processes and standby workers alike:
 * starts one (on the launcher thread, or by adopting a standby worker), binds its stream, checks
 * that the JVM that says hello is the one it started, kills one that does not connect within the
 * startup timeout or loses its stream, and when the process ends gives back everything it held in
 * the master before telling its owner. What to do about a lost worker (replace it, fail a task,
 * give up) is the owner's.
 *
 * <p>Threads: forks and their file I/O run on the launcher executor; the timer runs timeouts only.
 */
public final class WorkerSupervisor {
  private static final Logger log = LoggerFactory.getLogger(WorkerSupervisor.class);
  /** How long a worker without its stream may live before it is killed. */
  private static final Duration WITHOUT_STREAM = Duration.ofSeconds(1);

  private final WorkerLauncher launcher;
  private final HubGrpcService hub;
  private final LongConsumer sessionEnded;
  private final ScheduledExecutorService timer;
  private final Executor launches;
  private final Duration shutdownTimeout;
  private final AtomicInteger ids = new AtomicInteger();
  private final StandbyWorkers standby;

  /**
   * {@code sessionEnded} gives back what a worker's session held; {@code timer} runs timeouts;
   * {@code launches} runs forks and file I/O, one at a time.
   */
  public WorkerSupervisor(WorkerLauncher launcher, HubGrpcService hub, LongConsumer sessionEnded,
      ScheduledExecutorService timer, Executor launches, Duration shutdownTimeout, int standbyWorkers) {
    this.launcher = launcher;
    this.hub = hub;
    this.sessionEnded = sessionEnded;
    this.timer = timer;
    this.launches = launches;
    this.shutdownTimeout = shutdownTimeout;
    this.standby = new StandbyWorkers(this, standbyWorkers);
  }

  /** Starts the standby workers, if any, in the background. */
  public void start() {
    standby.start();
  }

  /**
   * A worker JVM for {@code owner}: a standby one if one fits (its replacement starts in the
   * background), else one started on the launcher thread. Completes once the process exists (not
   * yet connected), or fails with the IOException of a JVM that could not be started.
   */
  public CompletableFuture<SupervisedWorker> start(PoolOptions options, WorkerOwner owner) {
    SupervisedWorker adopted;
    while ((adopted = standby.take(options)) != null) {
      if (adopted.adopt(owner)) {
        return CompletableFuture.completedFuture(adopted);
      }
    }
    CompletableFuture<SupervisedWorker> started = new CompletableFuture<>();
    try {
      launches.execute(() -> {
        try {
          started.complete(launch(options, owner, false));
        } catch (IOException | RuntimeException e) {
          started.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      started.completeExceptionally(new IllegalStateException("the engine is closing", e));
    }
    return started;
  }

  /** Runs {@code task} on the launcher thread (forks, file I/O); at once if the engine is closing. */
  void onLauncher(Runnable task) {
    try {
      launches.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  /** On the launcher thread: starts a JVM for {@code owner} and watches over it. */
  SupervisedWorker launch(PoolOptions options, WorkerOwner owner, boolean asStandby) throws IOException {
    int id = ids.incrementAndGet();
    WorkerLauncher.Started started = launcher.launch(options, id, asStandby, this::onLauncher);
    SupervisedWorker w = new SupervisedWorker(id, started.process(), started.stdin(), owner);
    owner.started(w);
    hub.register(id, new Endpoint(w));
    w.process().onExit().thenRun(() -> gone(w));
    schedule(() -> {
      if (!w.connected() && w.process().isAlive()) {
        log.warn("{} did not connect within {}; killing it", w, options.startupTimeout());
        w.kill();
      }
    }, options.startupTimeout());
    return w;
  }

  /** SIGTERM now, SIGKILL if it has not exited after the shutdown timeout. */
  public void terminate(SupervisedWorker w) {
    w.signalTerminate();
    schedule(w::kill, shutdownTimeout);
  }

  /** Ends the standby workers nobody adopted, waiting at most {@code timeout}. */
  public void close(Duration timeout) {
    standby.close(timeout);
  }

  boolean hasStandby() {
    return standby.target() > 0;
  }

  private void schedule(Runnable action, Duration delay) {
    try {
      timer.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // the engine is closing: it ends its workers itself
    }
  }

  /** The process ended: release what it held, then tell its owner. */
  private void gone(SupervisedWorker w) {
    if (!w.markGone()) {
      return;
    }
    hub.unregister(w.id());
    w.closeStdin();
    sessionEnded.accept(w.id());
    w.owner().gone(w);
  }

  /** The worker's stream, as the hub hands it over. */
  private final class Endpoint implements WorkerEndpoint {
    private final SupervisedWorker worker;

    Endpoint(SupervisedWorker worker) {
      this.worker = worker;
    }

    @Override
    public void connected(Hello hello, StreamObserver<MasterMessage> out) {
      if (hello.getPid() != worker.pid()) {
        log.warn("{} reported pid {}; refused", worker, hello.getPid());
        out.onError(Status.FAILED_PRECONDITION.withDescription("pid mismatch").asRuntimeException());
        return;
      }
      worker.attach(out);
    }

    @Override
    public void results(ResultBatch batch) {
      worker.owner().results(worker, batch);
    }

    @Override
    public void revoked(Revoked revoked) {
      worker.owner().revoked(worker, revoked);
    }

    /**
     * A worker without its stream is of no use: make sure it ends; its exit does the rest. One
     * that ended its stream itself (it finished) gets the shutdown timeout to exit on its own.
     */
    @Override
    public void disconnected(Throwable cause) {
      if (worker.process().isAlive()) {
        schedule(worker::kill, cause == null ? shutdownTimeout : WITHOUT_STREAM);
      }
    }
  }
}

package dev.jobengine.master.internal;

import dev.jobengine.PoolOptions;
import dev.jobengine.proto.Hello;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.ResultBatch;
import dev.jobengine.proto.Revoked;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker JVMs started ahead of need ({@link dev.jobengine.EngineOptions#standbyWorkers()}): each
 * one starts, connects and waits, idle, until a pool or a process adopts it in place of starting
 * a JVM, and every one adopted is replaced in the background. Only a pool or process whose JVM
 * options, class path and output are the defaults can adopt one, since those are fixed when a JVM
 * starts. A standby worker that dies is replaced too, unless 3 in a row died before connecting.
 */
final class StandbyWorkers {
  private static final Logger log = LoggerFactory.getLogger(StandbyWorkers.class);
  private static final int MAX_START_FAILURES = 3;
  private static final PoolOptions LAUNCH = PoolOptions.builder().build();

  private final WorkerLauncher launcher;
  private final HubGrpcService hub;
  private final ScheduledExecutorService timer;
  private final AtomicInteger workerIds;
  private final ObjectRegistry objects;
  private final int target;
  /** Started and not adopted, connected or not; the oldest first. */
  private final Deque<Standby> idle = new ArrayDeque<>(); // guarded by this
  private int startFailures; // guarded by this
  private boolean closed; // guarded by this

  StandbyWorkers(WorkerLauncher launcher, HubGrpcService hub, ScheduledExecutorService timer,
      AtomicInteger workerIds, ObjectRegistry objects, int target) {
    this.launcher = launcher;
    this.hub = hub;
    this.timer = timer;
    this.workerIds = workerIds;
    this.objects = objects;
    this.target = target;
  }

  /** Starts the standby workers in the background (none if the target is 0). */
  void start() {
    for (int i = 0; i < target; i++) {
      launchLater();
    }
  }

  /** Launches run on the engine's timer, never on the caller's thread. */
  private void launchLater() {
    try {
      timer.execute(this::launch);
    } catch (RejectedExecutionException e) {
      // the engine is closing: no more standby workers
    }
  }

  /** Whether a worker to be started with these options could be a standby one. */
  static boolean fits(PoolOptions options) {
    return options.jvmOptions().equals(LAUNCH.jvmOptions())
        && options.classPath().equals(LAUNCH.classPath())
        && options.output() == LAUNCH.output();
  }

  /**
   * A standby worker for a worker to be started with {@code options}, or null if none fits or is
   * left; its replacement starts in the background. The caller takes over the process and must
   * {@link Standby#adopt} it at once. Connected ones are taken first.
   */
  Standby take(PoolOptions options) {
    if (target == 0 || !fits(options)) {
      return null;
    }
    Standby s = null;
    synchronized (this) {
      if (!closed) {
        for (Standby c : idle) {
          if (s == null || (c.worker.connected() && !s.worker.connected())) {
            s = c;
          }
        }
        if (s != null) {
          idle.remove(s);
        }
      }
    }
    if (s != null) {
      launchLater();
    }
    return s;
  }

  /**
   * Ends the standby workers nobody adopted and waits, at most {@code timeout}, for them to exit;
   * those still alive then are killed. No standby worker starts after this.
   */
  void close(Duration timeout) {
    synchronized (this) {
      closed = true;
    }
    try {
      // launches run on the timer: once this runs, none is under way
      timer.submit(() -> {}).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      log.debug("standby launches may still be under way", e);
    }
    List<Standby> left;
    synchronized (this) {
      left = List.copyOf(idle);
    }
    left.forEach(s -> s.worker.retire());
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Standby s : left) {
      try {
        s.worker.process().onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        s.worker.process().destroyForcibly();
      } catch (ExecutionException | TimeoutException e) {
        s.worker.process().destroyForcibly();
        try {
          s.worker.process().waitFor(1, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private void launch() {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    int id = workerIds.incrementAndGet();
    WorkerLauncher.Started started;
    try {
      started = launcher.launch(LAUNCH, id, true);
    } catch (IOException e) {
      log.warn("cannot start a standby worker JVM; pools and processes will start their own", e);
      return;
    }
    Standby s = new Standby(new WorkerProcess(id, started.process(), started.stdin()));
    hub.register(id, s);
    boolean lateForClose;
    synchronized (this) {
      idle.add(s);
      lateForClose = closed; // close() gave up waiting for this launch: end it here
    }
    s.worker.process().onExit().thenRun(() -> gone(s));
    if (lateForClose) {
      s.worker.retire();
      return;
    }
    timer.schedule(
        () -> {
          if (!s.worker.connected() && s.worker.process().isAlive() && s.isIdle()) {
            log.warn("standby {} did not connect within {}; killing it", s.worker, LAUNCH.startupTimeout());
            s.worker.process().destroyForcibly();
          }
        },
        LAUNCH.startupTimeout().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** A standby worker ended: if nobody had adopted it, clean up after it and start another. */
  private void gone(Standby s) {
    boolean replace;
    synchronized (this) {
      if (!idle.remove(s)) {
        return; // adopted: its owner sees its end
      }
      startFailures = s.worker.connected() ? 0 : startFailures + 1;
      replace = !closed && startFailures < MAX_START_FAILURES;
    }
    s.worker.markGone();
    hub.unregister(s.worker.id());
    s.worker.closeStdin();
    objects.sessionEnded(s.worker.id());
    if (replace) {
      log.warn("standby {} ended ({}); starting another", s.worker, s.worker.describeExit());
      launchLater();
    } else if (!s.worker.retiring()) {
      log.warn("standby {} ended ({})", s.worker, s.worker.describeExit());
    }
  }

  /**
   * One standby worker. Its stream goes to whoever adopts it; until then a hello is kept, to be
   * passed on at adoption.
   */
  static final class Standby implements WorkerEndpoint {
    private final WorkerProcess worker;
    private WorkerEndpoint owner; // guarded by this
    private Hello hello; // guarded by this
    private StreamObserver<MasterMessage> out; // guarded by this

    Standby(WorkerProcess worker) {
      this.worker = worker;
    }

    /** The process; its id, stdin and exit are now the adopter's. */
    WorkerProcess worker() {
      return worker;
    }

    synchronized boolean isIdle() {
      return owner == null;
    }

    /** From now on the worker's stream goes to {@code endpoint}, starting with its hello. */
    void adopt(WorkerEndpoint endpoint) {
      Hello h;
      StreamObserver<MasterMessage> o;
      synchronized (this) {
        owner = endpoint;
        h = hello;
        o = out;
      }
      if (h != null) {
        endpoint.connected(h, o);
      }
    }

    private synchronized WorkerEndpoint owner() {
      return owner;
    }

    @Override
    public void connected(Hello hello, StreamObserver<MasterMessage> out) {
      WorkerEndpoint o;
      synchronized (this) {
        o = owner;
        if (o == null) {
          if (hello.getPid() != worker.pid()) {
            log.warn("standby {} reported pid {}; refused", worker, hello.getPid());
            out.onError(Status.FAILED_PRECONDITION.withDescription("pid mismatch").asRuntimeException());
            return;
          }
          this.hello = hello;
          this.out = out;
          worker.attach(out);
          return;
        }
      }
      o.connected(hello, out);
    }

    @Override
    public void results(ResultBatch batch) {
      WorkerEndpoint o = owner();
      if (o != null) {
        o.results(batch);
      }
    }

    @Override
    public void revoked(Revoked revoked) {
      WorkerEndpoint o = owner();
      if (o != null) {
        o.revoked(revoked);
      }
    }

    @Override
    public void disconnected(Throwable cause) {
      WorkerEndpoint o = owner();
      if (o != null) {
        o.disconnected(cause);
      } else if (worker.process().isAlive()) {
        worker.process().destroyForcibly(); // of no use without its stream; its exit does the rest
      }
    }
  }
}

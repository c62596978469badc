package dev.jobengine.master.internal;

import dev.jobengine.AsyncResult;
import dev.jobengine.EngineOptions;
import dev.jobengine.EngineProcess;
import dev.jobengine.Job;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.core.NamedThreadFactory;
import dev.jobengine.core.objects.Handles;
import dev.jobengine.core.objects.SharedObjectEngine;
import dev.jobengine.core.objects.SharedObjects;
import dev.jobengine.core.wire.AuthToken;
import dev.jobengine.core.wire.Payloads;
import dev.jobengine.core.wire.Tls;
import dev.jobengine.master.internal.hub.HubGrpcService;
import dev.jobengine.master.internal.hub.HubServer;
import dev.jobengine.master.internal.hub.ObjectsGrpcService;
import dev.jobengine.master.internal.hub.SessionInterceptor;
import dev.jobengine.master.internal.objects.LocalObjectAccess;
import dev.jobengine.master.internal.objects.ObjectDispatcher;
import dev.jobengine.master.internal.objects.ObjectRegistry;
import dev.jobengine.master.internal.pool.PoolImpl;
import dev.jobengine.master.internal.process.ProcessImpl;
import dev.jobengine.master.internal.supervisor.WorkerLauncher;
import dev.jobengine.master.internal.supervisor.WorkerSupervisor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded master: one hub server, the shared objects, the worker supervisor, and the pools
 * and processes started through it. Its threads, each with one role: the hub's event loops; the
 * {@code -timer} (timeouts only); the {@code -launcher} (forks and their file I/O); the {@code
 * -objects} threads (shared-object calls that may run application code); each pool's callbacks.
 * {@link #close()} ends them in reverse order of creation.
 */
public final class EngineImpl extends SharedObjectEngine {
  private static final Logger log = LoggerFactory.getLogger(EngineImpl.class);
  private static final AtomicInteger ENGINE_IDS = new AtomicInteger();

  enum State { RUNNING, CLOSED }

  private final EngineOptions options;
  private final String name;
  private final ScheduledExecutorService timer;
  private final ExecutorService launcher;
  private final ExecutorService objectsExecutor;
  private final HubServer hub;
  private final ObjectsGrpcService objectsService;
  private final LocalObjectAccess local;
  private final Payloads payloads;
  private final WorkerSupervisor supervisor;
  private final List<ProcessImpl> processes = new CopyOnWriteArrayList<>();
  private final List<PoolImpl> pools = new CopyOnWriteArrayList<>();
  private final AtomicInteger poolIds = new AtomicInteger();
  private State state = State.RUNNING; // guarded by this

  private EngineImpl(EngineOptions options, byte[] authkey, InetSocketAddress listen, Tls tls) {
    this.options = options;
    this.name = "jobengine-" + ENGINE_IDS.incrementAndGet();
    this.timer = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory(name + "-timer", true));
    this.launcher = Executors.newSingleThreadExecutor(new NamedThreadFactory(name + "-launcher", true));
    ThreadPoolExecutor objectsPool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        new NamedThreadFactory(name + "-objects", true));
    objectsPool.allowCoreThreadTimeOut(true); // started only when a call needs them
    this.objectsExecutor = objectsPool;
    this.payloads = new Payloads(options.codec(), options.maxPayloadBytes(), options.allowedClasses());
    ObjectRegistry registry = new ObjectRegistry();
    ObjectDispatcher dispatcher = new ObjectDispatcher(registry, payloads, timer);
    HubGrpcService workerStreams = new HubGrpcService();
    this.objectsService = new ObjectsGrpcService(dispatcher, objectsExecutor, registry::sessionEnded);
    ServerServiceDefinition objects = ServerInterceptors.intercept(objectsService, new SessionInterceptor());
    this.hub = HubServer.start(options, authkey, List.of(workerStreams.bindService(), objects), listen, tls);
    this.local = new LocalObjectAccess(dispatcher, payloads);
    Handles.register(hub.address(), local);
    objects(new SharedObjects(hub.address(), local));
    WorkerLauncher workerLauncher = new WorkerLauncher(
        hub.address(), authkey, options.codec().getClass().getName(), options.maxPayloadBytes(),
        options.allowedClasses());
    this.supervisor = new WorkerSupervisor(workerLauncher, workerStreams, registry::sessionEnded, timer, launcher,
        options.shutdownTimeout(), options.standbyWorkers());
    supervisor.start();
  }

  public static EngineImpl start(EngineOptions options) {
    return new EngineImpl(options, AuthToken.newKey(), null, null);
  }

  /**
   * A daemon's engine: its hub listens on {@code listen} (TCP) and admits whoever presents {@code
   * authkey}: its own workers, and clients ({@link dev.jobengine.Engine#connect}), whose sessions
   * end when their connection does.
   */
  public static EngineImpl listen(EngineOptions options, byte[] authkey, InetSocketAddress listen) {
    return listen(options, authkey, listen, null);
  }

  /**
   * As {@link #listen(EngineOptions, byte[], InetSocketAddress)}, clients connecting over TLS with
   * {@code tls}'s server settings (null: plaintext), and presenting the authkey as well; the
   * engine's own workers then connect to a private listener ({@link #hubAddress()}), see {@link
   * HubServer#start(EngineOptions, byte[], List, InetSocketAddress, Tls)}.
   */
  public static EngineImpl listen(EngineOptions options, byte[] authkey, InetSocketAddress listen, Tls tls) {
    return new EngineImpl(options, authkey.clone(), listen, tls);
  }

  /** Where workers connect: {@code unix:/path} or {@code tcp:host:port}. */
  public String hubAddress() {
    return hub.address();
  }

  /**
   * Where clients connect, {@code tcp:host:port}: a daemon's listen address (its TLS listener
   * when it has one); {@link #hubAddress()} otherwise.
   */
  public String listenAddress() {
    return hub.listenAddress();
  }

  /** Fault injection and leak checks for test harnesses. */
  public FaultHooks faults() {
    return new FaultHooks() {
      @Override
      public OptionalLong workerRunning(AsyncResult<?> result) {
        return PoolImpl.runningOn(result);
      }

      @Override
      public void failWorkerStarts(int count) {
        supervisor.failStarts(count);
      }

      @Override
      public void delayWorkerStarts(Duration delay) {
        supervisor.delayConnects(Objects.requireNonNull(delay, "delay"));
      }

      @Override
      public boolean cutConnection(long pid) {
        return supervisor.byPid(pid).map(w -> {
          boolean cut = supervisor.cut(w);
          objectsService.cut(w.id());
          return cut;
        }).orElse(false);
      }

      @Override
      public OptionalLong pidOf(EngineProcess process) {
        long pid = process.pid();
        return pid < 0 ? OptionalLong.empty() : OptionalLong.of(pid);
      }

      @Override
      public List<ProcessHandle> liveWorkers() {
        return supervisor.liveWorkers().stream().map(w -> w.process().toHandle()).toList();
      }
    };
  }

  @Override
  public Pool pool(int workers) {
    return pool(PoolOptions.builder().workers(workers).build());
  }

  @Override
  public Pool pool(PoolOptions poolOptions) {
    PoolImpl pool;
    synchronized (this) {
      checkRunning();
      pool = new PoolImpl(poolOptions, name + "-pool-" + poolIds.incrementAndGet(), supervisor, payloads);
      pools.add(pool);
    }
    pool.start();
    return pool;
  }

  @Override
  public EngineProcess process(Job target) {
    synchronized (this) {
      checkRunning();
    }
    ProcessImpl p = new ProcessImpl(supervisor, payloads, target, PoolOptions.builder().build());
    processes.add(p);
    return p;
  }

  private void checkRunning() {
    if (state != State.RUNNING) {
      throw new IllegalStateException(name + " is " + state);
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
    }
    // standby workers end while the processes and pools below are waited for
    Thread standbyEnd = options.standbyWorkers() == 0 ? null
        : NamedThreadFactory.start(name + "-standby-close", true, () -> supervisor.close(options.shutdownTimeout()));
    // As Python's parent does at exit: daemon processes are killed, the others are waited for.
    for (ProcessImpl p : processes) {
      if (p.isDaemon() && p.isAlive()) {
        p.kill();
      }
    }
    for (ProcessImpl p : processes) {
      try {
        while (p.pid() >= 0 && !p.join(Duration.ofSeconds(10))) {
          log.info("{}: waiting for non-daemon {} to end", name, p);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.kill();
      }
    }
    pools.forEach(PoolImpl::terminate);
    long deadline = System.nanoTime() + options.shutdownTimeout().plusSeconds(5).toNanos();
    for (PoolImpl pool : pools) {
      try {
        if (!pool.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
          log.warn("{}: {} did not finish in time", name, pool);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    try {
      if (standbyEnd != null) {
        standbyEnd.join(options.shutdownTimeout().multipliedBy(2).plusSeconds(2).toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Handles.unregister(hub.address());
    local.close();
    hub.shutdown(Duration.ofSeconds(2));
    end(objectsExecutor, "objects", false);
    end(launcher, "launcher", false); // what is queued there (archives to save) still runs
    end(timer, "timer", true); // nothing waits for its timeouts any more
  }

  /** Ends an executor within a second: queued work still runs unless {@code dropQueued}. */
  private void end(ExecutorService executor, String role, boolean dropQueued) {
    if (dropQueued) {
      executor.shutdownNow();
    } else {
      executor.shutdown();
    }
    try {
      if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
        log.warn("{}: the {} thread did not end within 1 s", name, role);
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return name + "[" + hub.address() + "]";
  }
}

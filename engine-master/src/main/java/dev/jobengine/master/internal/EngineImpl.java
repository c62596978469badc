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
import dev.jobengine.core.code.Artifacts;
import dev.jobengine.master.internal.code.ApplicationLoaders;
import dev.jobengine.master.internal.code.CodeGrpcService;
import dev.jobengine.master.internal.code.ServedClasses;
import dev.jobengine.master.internal.code.CodeStore;
import dev.jobengine.master.internal.hub.AdminGrpcService;
import dev.jobengine.core.wire.Tls;
import dev.jobengine.core.wire.TransportAllocator;
import dev.jobengine.master.internal.hub.HubGrpcService;
import dev.jobengine.master.internal.hub.LeasesGrpcService;
import dev.jobengine.master.internal.metrics.EngineCounters;
import dev.jobengine.master.internal.metrics.Instrumented;
import dev.jobengine.master.internal.objects.state.LockState;
import dev.jobengine.master.internal.objects.state.QueueState;
import dev.jobengine.master.internal.objects.state.SemaphoreState;
import dev.jobengine.master.internal.pool.LeasedPool;
import dev.jobengine.proto.Artifact;
import dev.jobengine.master.internal.hub.HubServer;
import dev.jobengine.master.internal.hub.ObjectsGrpcService;
import dev.jobengine.master.internal.hub.SessionBindings;
import dev.jobengine.master.internal.hub.SessionInterceptor;
import dev.jobengine.master.internal.objects.LocalObjectAccess;
import dev.jobengine.master.internal.objects.ObjectDispatcher;
import dev.jobengine.master.internal.objects.ObjectRegistry;
import dev.jobengine.master.internal.pool.PoolImpl;
import dev.jobengine.master.internal.process.ProcessImpl;
import dev.jobengine.master.internal.status.StatusReport;
import dev.jobengine.master.internal.supervisor.WorkerLauncher;
import dev.jobengine.master.internal.supervisor.WorkerSupervisor;
import dev.jobengine.proto.StatusReply;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded master: one hub server, the shared objects, the worker supervisor, and the pools
 * and processes started through it. Its threads, each with one role: the hub's event loops; the
 * {@code -timer} (timeouts only); the {@code -launcher} (forks and their file I/O); the {@code
 * -objects} threads (shared-object calls that may run application code); each pool's callbacks.
 * {@link #close()} ends them in reverse order of creation.
 */
public final class EngineImpl extends SharedObjectEngine implements Instrumented {
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
  private final EngineCounters counters = new EngineCounters(() -> supervisor().liveCount());
  private State state = State.RUNNING; // guarded by this
  private volatile StatusReport status; // set once the engine is up
  /** Ends the workers of an engine the application did not close; null for a daemon's (it drains itself). */
  private final Thread exitHook;

  /** What makes an engine a daemon's: the bound on its fleet, and where clients' code is stored. */
  public record DaemonSettings(int maxWorkers, Path codeDir) {}

  private final DaemonSettings daemon;
  private final CodeStore codeStore;
  private final List<LeasedPool> leasedPools = new CopyOnWriteArrayList<>();
  private final AtomicInteger leasedPoolIds = new AtomicInteger();
  private volatile boolean accepting = true;

  private EngineImpl(EngineOptions options, byte[] authkey, InetSocketAddress listen, DaemonSettings daemon, Tls tls) {
    this.daemon = daemon;
    this.options = options;
    this.name = "jobengine-" + ENGINE_IDS.incrementAndGet();
    this.timer = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory(name + "-timer", true));
    this.launcher = Executors.newSingleThreadExecutor(new NamedThreadFactory(name + "-launcher", true));
    ThreadPoolExecutor objectsPool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        new NamedThreadFactory(name + "-objects", true));
    objectsPool.allowCoreThreadTimeOut(true); // started only when a call needs them
    this.objectsExecutor = objectsPool;
    this.payloads = new Payloads(options.codec(), options.maxPayloadBytes(), options.allowedClasses());
    ObjectRegistry registry = new ObjectRegistry(this::declared);
    ObjectDispatcher dispatcher = new ObjectDispatcher(registry, payloads, timer);
    HubGrpcService workerStreams = new HubGrpcService();
    SessionBindings bindings = new SessionBindings();
    workerStreams.bindings(bindings);
    LongConsumer sessionEnded = session -> {
      registry.sessionEnded(session);
      bindings.ended(session);
    };
    this.objectsService = new ObjectsGrpcService(dispatcher, objectsExecutor, sessionEnded);
    ServerServiceDefinition objects = ServerInterceptors.intercept(objectsService, new SessionInterceptor(bindings));
    AdminGrpcService admin = new AdminGrpcService(this::status, objectsExecutor);
    ServedClasses servedClasses = new ServedClasses(options.maxPayloadBytes());
    List<ServerServiceDefinition> services = new ArrayList<>(List.of(
        ServerInterceptors.intercept(workerStreams, new SessionInterceptor()), objects, admin.bindService(),
        servedClasses.bindService()));
    if (daemon != null) {
      try {
        this.codeStore = new CodeStore(daemon.codeDir());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make the code store " + daemon.codeDir(), e);
      }
      services.add(new CodeGrpcService(codeStore).bindService());
      services.add(ServerInterceptors.intercept(new LeasesGrpcService(new Leases()), new SessionInterceptor(bindings)));
    } else {
      this.codeStore = null;
    }
    this.hub = HubServer.start(options, authkey, services, listen, tls);
    objectsService.engineKey(hub.address());
    this.local = new LocalObjectAccess(dispatcher, payloads);
    Handles.register(hub.address(), local);
    objects(new SharedObjects(hub.address(), local));
    WorkerLauncher workerLauncher = new WorkerLauncher(
        hub.address(), authkey, options.codec().getClass().getName(), options.maxPayloadBytes(),
        options.allowedClasses());
    this.supervisor = new WorkerSupervisor(workerLauncher, workerStreams, sessionEnded, timer, launcher,
        options.shutdownTimeout(), options.standbyWorkers());
    supervisor.servedClasses(servedClasses);
    if (daemon != null) {
      workerLauncher.codeDir(codeStore.directory().toString());
      supervisor.fleet(daemon.maxWorkers());
      workerStreams.joiner(supervisor::joined);
    }
    supervisor.countIn(counters);
    supervisor.start();
    this.status = new StatusReport(supervisor, pools, this::leasedPools, objectsService, registry);
    this.exitHook = daemon != null ? null : new Thread(this::atExit, name + "-exit");
    if (exitHook != null) {
      Runtime.getRuntime().addShutdownHook(exitHook);
    }
  }

  /**
   * The JVM exits with the engine still open (close() forgotten): its workers are killed at once
   * (they would also end by themselves, as orphans, within moments) and its socket directory is
   * removed, so nothing is left behind. Waits for nothing.
   */
  private void atExit() {
    synchronized (this) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
    }
    log.debug("{} was not closed; ending its workers as the JVM exits", name);
    for (var w : supervisor.liveWorkers()) {
      w.kill();
    }
    hub.deleteSocketDirectory();
  }

  public static EngineImpl start(EngineOptions options) {
    return new EngineImpl(options, AuthToken.newKey(), null, null, null);
  }

  /**
   * A daemon's engine: its hub listens on {@code listen} (TCP) and admits whoever presents {@code
   * authkey}: its own workers, and clients ({@link dev.jobengine.Engine#connect}), whose sessions
   * end when their connection does.
   */
  public static EngineImpl listen(EngineOptions options, byte[] authkey, InetSocketAddress listen) {
    return listen(options, authkey, listen, defaultDaemon(options), null);
  }

  /** The daemon settings of {@code jobengine daemon} without options. */
  private static DaemonSettings defaultDaemon(EngineOptions options) {
    return new DaemonSettings(Math.max(16, options.standbyWorkers()),
        Path.of(System.getProperty("java.io.tmpdir"), "jobengine-daemon-code-" + System.getProperty("user.name", "user")));
  }

  /**
   * As {@link #listen(EngineOptions, byte[], InetSocketAddress)}, clients connecting over TLS with
   * {@code tls}'s server settings (null: plaintext), and presenting the authkey as well; the
   * engine's own workers then connect to a private listener ({@link #hubAddress()}), see {@link
   * HubServer#start(EngineOptions, byte[], List, InetSocketAddress, Tls)}.
   */
  public static EngineImpl listen(EngineOptions options, byte[] authkey, InetSocketAddress listen, Tls tls) {
    return listen(options, authkey, listen, defaultDaemon(options), tls);
  }

  /**
   * A daemon's engine whose fleet holds at most {@code daemon.maxWorkers()} workers and whose
   * clients' code is stored in {@code daemon.codeDir()}: clients' pools lease workers and give
   * them back, and workers may join of their own accord; over TLS with {@code tls} (null: plaintext).
   */
  public static EngineImpl listen(EngineOptions options, byte[] authkey, InetSocketAddress listen, DaemonSettings daemon,
      Tls tls) {
    return new EngineImpl(options, authkey.clone(), listen, Objects.requireNonNull(daemon, "daemon"), tls);
  }

  /** The daemon's side of clients' pools and processes. */
  private final class Leases implements LeasedPool.Daemon {
    @Override
    public WorkerSupervisor supervisor() {
      return supervisor;
    }

    @Override
    public Payloads payloads() {
      return payloads;
    }

    @Override
    public boolean accepting() {
      return accepting;
    }

    @Override
    public boolean stored(List<Artifact> classPath) {
      // by hash only: a client must not point the daemon's workers at files of the daemon's machine
      return classPath.size() <= Artifacts.MAX_ARTIFACTS
          && classPath.stream().allMatch(a -> a.getPath().isEmpty() && codeStore.has(a));
    }

    @Override
    public String poolName(String clientName, long session) {
      return name + "-lease-" + leasedPoolIds.incrementAndGet();
    }

    @Override
    public void opened(LeasedPool pool) {
      leasedPools.add(pool);
    }

    @Override
    public void ended(LeasedPool pool) {
      leasedPools.remove(pool);
    }
  }

  /** Puts {@code classPath}'s code in the daemon's store ({@code jobengine daemon --classpath}); returns how many jars. */
  public int preloadCode(String classPath) throws IOException {
    if (codeStore == null) {
      throw new IllegalStateException(name + " is not a daemon's engine");
    }
    return codeStore.preload(classPath);
  }

  /** Clients' pools open now. */
  public List<LeasedPool> leasedPools() {
    return List.copyOf(leasedPools);
  }

  /**
   * A daemon's orderly end: no new pools or processes; clients' pools are closed (queued tasks
   * still run) and waited for, at most {@code bound}, then whatever still runs is terminated.
   * {@link #close()} follows.
   */
  public void drain(Duration bound) {
    accepting = false;
    List<LeasedPool> open = leasedPools();
    open.forEach(LeasedPool::close);
    long deadline = System.nanoTime() + bound.toNanos();
    for (LeasedPool p : open) {
      try {
        p.done().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        log.warn("{}: {} did not finish within {}; terminating it", name, p.name(), bound);
        p.terminate();
      } catch (java.util.concurrent.ExecutionException e) {
        log.debug("{} ended badly", p.name(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.terminate();
      }
    }
  }

  /** Tells the counters' listeners of a queue, lock or semaphore just declared. */
  private void declared(ObjectRegistry.Entry e) {
    String kind = e.kind().name().toLowerCase(java.util.Locale.ROOT);
    if (e.state() instanceof QueueState q) {
      counters.queue(e.name(), q::size);
    } else if (e.state() instanceof LockState l) {
      counters.lock(e.name(), kind, l);
    } else if (e.state() instanceof SemaphoreState s) {
      counters.lock(e.name(), kind, s);
    }
  }

  /** Its pools' task counts, its workers' starts and deaths, its objects, for metrics. */
  @Override
  public EngineCounters counters() {
    return counters;
  }

  /** The engine's worker supervisor (for status reports). */
  public WorkerSupervisor supervisor() {
    return supervisor;
  }

  /** Where workers connect: {@code unix:/path} or {@code tcp:host:port}. */
  public String hubAddress() {
    return hub.address();
  }

  /** What the engine runs and holds now (see {@code jobengine status}). */
  public StatusReply status() {
    StatusReport report = status;
    if (report == null) {
      throw new IllegalStateException(name + " is starting");
    }
    return report.build();
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
      String poolName = name + "-pool-" + poolIds.incrementAndGet();
      pool = new PoolImpl(poolOptions, poolName, supervisor, payloads, counters.pool(poolName),
          ApplicationLoaders.of(poolOptions, null));
      pools.add(pool);
    }
    pool.start();
    return pool;
  }

  @Override
  public EngineProcess process(Job target) {
    return process(target, PoolOptions.builder().build());
  }

  @Override
  public EngineProcess process(Job target, PoolOptions processOptions) {
    Objects.requireNonNull(processOptions, "options");
    synchronized (this) {
      checkRunning();
    }
    ProcessImpl p = new ProcessImpl(supervisor, payloads, target, processOptions,
        ApplicationLoaders.of(processOptions, target));
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
    if (exitHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(exitHook);
      } catch (IllegalStateException exiting) {
        // the JVM is exiting already; the hook finds the engine closed
      }
    }
    // standby workers end while the processes and pools below are waited for
    Thread standbyEnd = options.standbyWorkers() == 0 && !supervisor.isFleet() ? null
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
    TransportAllocator.INSTANCE.trim(); // spare buffers of large messages
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

package dev.jobengine.master.internal;

import dev.jobengine.EngineOptions;
import dev.jobengine.EngineProcess;
import dev.jobengine.Job;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.internal.NamedThreadFactory;
import dev.jobengine.internal.objects.Handles;
import dev.jobengine.internal.objects.SharedObjectEngine;
import dev.jobengine.internal.objects.SharedObjects;
import dev.jobengine.internal.wire.AuthToken;
import dev.jobengine.internal.wire.Payloads;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded master: one hub server, the pools it started, and their worker JVMs. */
public final class EngineImpl extends SharedObjectEngine {
  private static final Logger log = LoggerFactory.getLogger(EngineImpl.class);
  private static final AtomicInteger ENGINE_IDS = new AtomicInteger();

  enum State { RUNNING, CLOSED }

  private final EngineOptions options;
  private final String name;
  private final HubServer hub;
  private final HubGrpcService hubService = new HubGrpcService();
  private final ObjectRegistry objectRegistry = new ObjectRegistry();
  private final LocalObjectAccess local;
  private final List<ProcessImpl> processes = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer;
  private final PoolContext poolContext;
  private final StandbyWorkers standby;
  private final List<PoolImpl> pools = new CopyOnWriteArrayList<>();
  private final AtomicInteger poolIds = new AtomicInteger();
  private State state = State.RUNNING;

  private EngineImpl(EngineOptions options) {
    this.options = options;
    this.name = "jobengine-" + ENGINE_IDS.incrementAndGet();
    byte[] authkey = AuthToken.newKey();
    this.timer = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory(name + "-timer", true));
    Payloads payloads = new Payloads(options.codec(), options.maxPayloadBytes());
    ObjectDispatcher dispatcher = new ObjectDispatcher(objectRegistry, payloads, timer);
    ServerServiceDefinition objectsService = ServerInterceptors.intercept(
        new ObjectsGrpcService(dispatcher), new ObjectsGrpcService.SessionInterceptor());
    this.hub = HubServer.start(options, authkey, List.of(hubService.bindService(), objectsService));
    this.local = new LocalObjectAccess(dispatcher, payloads);
    Handles.register(hub.address(), local);
    objects(new SharedObjects(hub.address(), local));
    WorkerLauncher launcher =
        new WorkerLauncher(hub.address(), authkey, options.codec().getClass().getName(), options.maxPayloadBytes());
    AtomicInteger workerIds = new AtomicInteger();
    this.standby = new StandbyWorkers(launcher, hubService, timer, workerIds, objectRegistry, options.standbyWorkers());
    this.poolContext =
        new PoolContext(payloads, launcher, hubService, timer, workerIds, options.shutdownTimeout(),
            objectRegistry, standby);
    standby.start();
  }

  public static EngineImpl start(EngineOptions options) {
    return new EngineImpl(options);
  }

  /** Where workers connect: {@code unix:/path} or {@code tcp:host:port}. */
  public String hubAddress() {
    return hub.address();
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
      pool = new PoolImpl(poolContext, poolOptions, name + "-pool-" + poolIds.incrementAndGet());
      pools.add(pool);
    }
    pool.start();
    return pool;
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
        : NamedThreadFactory.start(name + "-standby-close", true, () -> standby.close(options.shutdownTimeout()));
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
    timer.shutdownNow();
    try {
      timer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public EngineProcess process(Job target) {
    synchronized (this) {
      checkRunning();
    }
    ProcessImpl p = new ProcessImpl(poolContext, target, PoolOptions.builder().build());
    processes.add(p);
    return p;
  }

  @Override
  public String toString() {
    return name + "[" + hub.address() + "]";
  }
}

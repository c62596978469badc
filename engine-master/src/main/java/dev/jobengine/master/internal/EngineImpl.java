package dev.jobengine.master.internal;

import dev.jobengine.Engine;
import dev.jobengine.EngineOptions;
import dev.jobengine.EngineProcess;
import dev.jobengine.Job;
import dev.jobengine.JoinableQueue;
import dev.jobengine.Pipe;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.SharedBarrier;
import dev.jobengine.SharedEvent;
import dev.jobengine.SharedList;
import dev.jobengine.SharedLock;
import dev.jobengine.SharedMap;
import dev.jobengine.SharedQueue;
import dev.jobengine.SharedSemaphore;
import dev.jobengine.internal.NamedThreadFactory;
import dev.jobengine.internal.objects.Handles;
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
public final class EngineImpl implements Engine {
  private static final Logger log = LoggerFactory.getLogger(EngineImpl.class);
  private static final AtomicInteger ENGINE_IDS = new AtomicInteger();

  enum State { RUNNING, CLOSED }

  private final EngineOptions options;
  private final String name;
  private final HubServer hub;
  private final HubGrpcService hubService = new HubGrpcService();
  private final ObjectRegistry objectRegistry = new ObjectRegistry();
  private final SharedObjects objects;
  private final LocalObjectAccess local;
  private final List<ProcessImpl> processes = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer;
  private final PoolContext poolContext;
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
    this.objects = new SharedObjects(hub.address(), local);
    WorkerLauncher launcher =
        new WorkerLauncher(hub.address(), authkey, options.codec().getClass().getName(), options.maxPayloadBytes());
    this.poolContext =
        new PoolContext(payloads, launcher, hubService, timer, new AtomicInteger(), options.shutdownTimeout(),
            objectRegistry);
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

  private static UnsupportedOperationException notYet(String what) {
    return new UnsupportedOperationException(what + " is not available in this version of jobengine yet");
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
  public <E> SharedQueue<E> queue(String name) {
    return objects.queue(name, 0);
  }

  @Override
  public <E> SharedQueue<E> queue(String name, int maxsize) {
    if (maxsize < 0) {
      throw new IllegalArgumentException("maxsize must not be negative, was " + maxsize);
    }
    return objects.queue(name, maxsize);
  }

  @Override
  public <E> JoinableQueue<E> joinableQueue(String name) {
    return objects.joinableQueue(name);
  }

  @Override
  public SharedLock lock(String name) {
    return objects.lock(name, false);
  }

  @Override
  public SharedLock rlock(String name) {
    return objects.lock(name, true);
  }

  @Override
  public SharedSemaphore semaphore(String name, int permits) {
    return objects.semaphore(name, permits, false);
  }

  @Override
  public SharedSemaphore boundedSemaphore(String name, int permits) {
    return objects.semaphore(name, permits, true);
  }

  @Override
  public SharedEvent event(String name) {
    return objects.event(name);
  }

  @Override
  public SharedBarrier barrier(String name, int parties) {
    return objects.barrier(name, parties);
  }

  @Override
  public <K, V> SharedMap<K, V> map(String name) {
    return objects.map(name);
  }

  @Override
  public <E> SharedList<E> list(String name) {
    return objects.list(name);
  }

  @Override
  public <E> Pipe<E> pipe(String name) {
    throw notYet("Engine.pipe");
  }

  @Override
  public String toString() {
    return name + "[" + hub.address() + "]";
  }
}

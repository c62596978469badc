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
import dev.jobengine.internal.wire.AuthToken;
import dev.jobengine.internal.wire.Payloads;
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
  private final ScheduledExecutorService timer;
  private final PoolContext poolContext;
  private final List<PoolImpl> pools = new CopyOnWriteArrayList<>();
  private final AtomicInteger poolIds = new AtomicInteger();
  private State state = State.RUNNING;

  private EngineImpl(EngineOptions options) {
    this.options = options;
    this.name = "jobengine-" + ENGINE_IDS.incrementAndGet();
    byte[] authkey = AuthToken.newKey();
    this.hub = HubServer.start(options, authkey, hubService);
    this.timer = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory(name + "-timer", true));
    Payloads payloads = new Payloads(options.codec(), options.maxPayloadBytes());
    WorkerLauncher launcher =
        new WorkerLauncher(hub.address(), authkey, options.codec().getClass().getName(), options.maxPayloadBytes());
    this.poolContext =
        new PoolContext(payloads, launcher, hubService, timer, new AtomicInteger(), options.shutdownTimeout());
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
    throw notYet("Engine.process");
  }

  @Override
  public <E> SharedQueue<E> queue(String name) {
    throw notYet("Engine.queue");
  }

  @Override
  public <E> SharedQueue<E> queue(String name, int maxsize) {
    throw notYet("Engine.queue");
  }

  @Override
  public <E> JoinableQueue<E> joinableQueue(String name) {
    throw notYet("Engine.joinableQueue");
  }

  @Override
  public SharedLock lock(String name) {
    throw notYet("Engine.lock");
  }

  @Override
  public SharedLock rlock(String name) {
    throw notYet("Engine.rlock");
  }

  @Override
  public SharedSemaphore semaphore(String name, int permits) {
    throw notYet("Engine.semaphore");
  }

  @Override
  public SharedSemaphore boundedSemaphore(String name, int permits) {
    throw notYet("Engine.boundedSemaphore");
  }

  @Override
  public SharedEvent event(String name) {
    throw notYet("Engine.event");
  }

  @Override
  public SharedBarrier barrier(String name, int parties) {
    throw notYet("Engine.barrier");
  }

  @Override
  public <K, V> SharedMap<K, V> map(String name) {
    throw notYet("Engine.map");
  }

  @Override
  public <E> SharedList<E> list(String name) {
    throw notYet("Engine.list");
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

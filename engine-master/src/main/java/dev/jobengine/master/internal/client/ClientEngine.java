package dev.jobengine.master.internal.client;

import dev.jobengine.EngineOptions;
import dev.jobengine.EngineProcess;
import dev.jobengine.Job;
import dev.jobengine.JobEngineException;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.core.objects.Handles;
import dev.jobengine.core.objects.RemoteObjectAccess;
import dev.jobengine.core.objects.SharedObjectEngine;
import dev.jobengine.core.objects.SharedObjects;
import dev.jobengine.core.wire.Payloads;
import dev.jobengine.core.wire.SessionHeader;
import dev.jobengine.core.wire.Tls;
import dev.jobengine.core.wire.TransportAllocator;
import dev.jobengine.core.wire.Transports;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.Reply;
import dev.jobengine.master.internal.code.ApplicationLoaders;
import dev.jobengine.master.internal.metrics.EngineCounters;
import dev.jobengine.master.internal.metrics.Instrumented;
import dev.jobengine.master.internal.pool.PoolImpl;
import dev.jobengine.master.internal.process.DaemonProcess;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An engine connected to a daemon ({@code Engine.connect}): its shared objects are the daemon's,
 * reached over one connection, as a worker reaches its master's. The client is a session of its
 * own: when it closes, disconnects or dies, the daemon gives back the locks, permits and taken
 * items it held. Its pools and processes run on the daemon's workers, its code (this JVM's class
 * path) sent to the daemon once per content.
 */
public final class ClientEngine extends SharedObjectEngine implements Instrumented {
  private static final Logger log = LoggerFactory.getLogger(ClientEngine.class);
  /** How long connecting may take before {@link #connect} gives up. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** How often connecting looks again at why the connection fails, while it retries. */
  private static final Duration RECHECK = Duration.ofMillis(200);

  /** A target starting with it is reached over TLS. */
  static final String TLS_PREFIX = "tls:";

  private final String address;
  private final Tls tls;
  private final EventLoopGroup group;
  private final ManagedChannel channel;
  private final RemoteObjectAccess objects;
  private final Payloads payloads;
  /** The channel with this client's session on every call. */
  private final Channel sessionChannel;
  private final CodeUpload code;
  private final AtomicInteger poolIds = new AtomicInteger();
  /** Its pools' task counts; its workers and shared objects are the daemon's, not counted here. */
  private final EngineCounters counters = new EngineCounters(null);
  private final List<Pool> pools = new CopyOnWriteArrayList<>();
  private final List<DaemonProcess> processes = new CopyOnWriteArrayList<>();
  private volatile boolean closed;
  private volatile String handleKey;

  private ClientEngine(String address, byte[] authkey) {
    this(address, authkey, null);
  }

  /** {@code tls}: the client's TLS settings, or null for plaintext. */
  private ClientEngine(String address, byte[] authkey, Tls tls) {
    this.address = address;
    this.tls = tls;
    EngineOptions defaults = EngineOptions.defaults();
    this.payloads = new Payloads(defaults.codec(), defaults.maxPayloadBytes(), defaults.allowedClasses());
    this.group = Transports.newEventLoopGroup(1, "jobengine-client-io");
    try {
      this.channel = Transports.channel(address, group, defaults.maxPayloadBytes(), authkey, tls);
    } catch (RuntimeException e) { // unusable TLS files
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
    long session = SessionHeader.newClientSession();
    this.sessionChannel = ClientInterceptors.intercept(channel, SessionHeader.interceptor(session));
    this.code = new CodeUpload(sessionChannel);
    this.objects = new RemoteObjectAccess(channel, session, payloads);
    Handles.register(address, objects);
    objects(new SharedObjects(address, objects));
  }

  /**
   * Connects to the daemon at {@code target} ({@code host:port}, or {@code tls:host:port} over TLS
   * with {@link Tls#clientFromSystemProperties()}), within {@link #CONNECT_TIMEOUT}, and checks,
   * with one round trip, that it admits {@code authkey}; a {@link JobEngineException} says why not.
   */
  public static ClientEngine connect(String target, byte[] authkey) {
    boolean overTls = target != null && target.startsWith(TLS_PREFIX);
    String hostPort = overTls ? target.substring(TLS_PREFIX.length()) : target;
    if (hostPort == null || hostPort.lastIndexOf(':') <= 0) {
      throw new IllegalArgumentException("a daemon's address is host:port or tls:host:port, was " + target);
    }
    ClientEngine engine = new ClientEngine(hostPort.startsWith("tcp:") ? hostPort : "tcp:" + hostPort, authkey,
        overTls ? Tls.clientFromSystemProperties() : null);
    try {
      engine.awaitReady(target);
      Reply r = engine.objects.invoke(Invocation.newBuilder().setOp(Invocation.Op.PING).build(), "the daemon");
      if (r.hasError()) {
        throw new JobEngineException("cannot connect to the daemon at " + target + ": " + r.getError().getMessage()
            + " (a wrong authkey, or no daemon there)");
      }
      engine.knownAs(r.getEngine());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      engine.close();
      throw new JobEngineException("interrupted while connecting to the daemon at " + target, e);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
    return engine;
  }

  /**
   * The daemon's key for its handles (its hub address): handles made here travel with it, so its
   * workers take them for their engine's, and handles they send back are found here.
   */
  private void knownAs(String engineKey) {
    if (engineKey.isEmpty() || engineKey.equals(address)) {
      return;
    }
    Handles.unregister(address);
    handleKey = engineKey;
    Handles.register(engineKey, objects);
    objects(new SharedObjects(engineKey, objects));
  }

  /** Waits, at most {@link #CONNECT_TIMEOUT}, for the connection (TCP and HTTP/2) to be up. */
  private void awaitReady(String target) throws InterruptedException {
    long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
    ConnectivityState state;
    while ((state = channel.getState(true)) != ConnectivityState.READY) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new JobEngineException("cannot reach the daemon at " + target + " within " + CONNECT_TIMEOUT
            + " (connection " + state + ")");
      }
      long wait = left;
      if (state == ConnectivityState.TRANSIENT_FAILURE) {
        String refused = ConnectFailures.refusal(probe(left), target, tls != null);
        if (refused != null) {
          throw new JobEngineException(refused);
        }
        // the channel stays in TRANSIENT_FAILURE while it retries: look at the next attempts' failures too
        wait = Math.min(left, RECHECK.toNanos());
      }
      CountDownLatch changed = new CountDownLatch(1);
      channel.notifyWhenStateChanged(state, changed::countDown);
      changed.await(wait, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Why the last connection attempt failed: a call that is not waiting for the channel to be
   * ready fails at once with that reason while the channel is in TRANSIENT_FAILURE. It names no
   * service the daemon has, so should the connection come up meanwhile, the daemon only answers
   * UNIMPLEMENTED. Waits at most {@code leftNanos}.
   */
  private Status probe(long leftNanos) throws InterruptedException {
    ClientCall<byte[], byte[]> call =
        channel.newCall(ConnectFailures.PROBE, CallOptions.DEFAULT.withDeadlineAfter(leftNanos, TimeUnit.NANOSECONDS));
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(status);
      }
    }, new Metadata());
    call.request(1);
    call.sendMessage(new byte[0]);
    call.halfClose();
    try {
      return closed.get(leftNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      call.cancel("connecting gave up", null);
      return Status.DEADLINE_EXCEEDED;
    } catch (InterruptedException e) {
      call.cancel("interrupted", null);
      throw e;
    }
  }

  @Override
  public EngineCounters counters() {
    return counters;
  }

  @Override
  public Pool pool(int workers) {
    return pool(PoolOptions.builder().workers(workers).build());
  }

  /**
   * A pool on the daemon's workers: the class path of {@code options} (by default this JVM's)
   * goes to the daemon first, once per content. JVM options and output are the daemon's workers'
   * own, so a pool that sets them is refused.
   */
  @Override
  public Pool pool(PoolOptions options) {
    checkDaemonMakesTheJvm(options);
    checkOpen();
    String name = "client-pool-" + poolIds.incrementAndGet();
    PoolImpl pool = PoolImpl.onDaemon(options, name, payloads, sessionChannel,
        code.ensure(options, ApplicationLoaders.of(options, null)), counters.pool(name));
    pools.add(pool);
    return pool;
  }

  /** A process in a JVM of the daemon's fleet, its code this JVM's class path. */
  @Override
  public EngineProcess process(Job target) {
    return process(target, PoolOptions.builder().build());
  }

  /** As {@link #process(Job)}, its code {@code options}' class path; JVM options and output are the daemon's. */
  @Override
  public EngineProcess process(Job target, PoolOptions options) {
    checkOpen();
    checkDaemonMakesTheJvm(options);
    List<ClassLoader> loaders = ApplicationLoaders.of(options, target);
    DaemonProcess p = new DaemonProcess(sessionChannel, payloads, target, () -> code.ensure(options, loaders), options);
    processes.add(p);
    return p;
  }

  private static void checkDaemonMakesTheJvm(PoolOptions options) {
    PoolOptions defaults = PoolOptions.builder().build();
    if (!options.jvmOptions().equals(defaults.jvmOptions()) || options.output() != defaults.output()) {
      throw new IllegalArgumentException("a daemon's workers are started by the daemon: a connected engine's pool "
          + "or process cannot set jvmOptions or output");
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  /**
   * Ends the session: as an embedded engine does, waits for non-daemon processes, kills daemon
   * ones, terminates pools still running; then the daemon gives back what the session held.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (DaemonProcess p : processes) {
      if (p.isDaemon() && p.isAlive()) {
        p.kill();
      }
    }
    try {
      for (DaemonProcess p : processes) {
        while (p.isAlive() && !p.join(Duration.ofSeconds(10))) {
          log.info("{}: waiting for non-daemon {} to end", this, p);
        }
      }
      for (Pool pool : pools) {
        pool.terminate();
      }
      for (Pool pool : pools) {
        pool.join(Duration.ofSeconds(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    processes.forEach(DaemonProcess::abandon);
    Handles.unregister(handleKey != null ? handleKey : address);
    objects.close();
    channel.shutdown();
    try {
      if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channel.shutdownNow();
    }
    // waited for: a JVM that exits while an event loop still runs takes ~0.3 s longer to end
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    TransportAllocator.INSTANCE.trim(); // spare buffers of large messages
  }

  @Override
  public String toString() {
    return "jobengine client of " + address;
  }
}

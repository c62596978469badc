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
import dev.jobengine.core.wire.Transports;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.Reply;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An engine connected to a daemon ({@code Engine.connect}): its shared objects are the daemon's,
 * reached over one connection, as a worker reaches its master's. The client is a session of its
 * own: when it closes, disconnects or dies, the daemon gives back the locks, permits and taken
 * items it held. Pools and processes through a daemon are not available yet.
 */
public final class ClientEngine extends SharedObjectEngine {
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

  private ClientEngine(String address, byte[] authkey) {
    this(address, authkey, null);
  }

  /** {@code tls}: the client's TLS settings, or null for plaintext. */
  private ClientEngine(String address, byte[] authkey, Tls tls) {
    this.address = address;
    this.tls = tls;
    EngineOptions defaults = EngineOptions.defaults();
    Payloads payloads = new Payloads(defaults.codec(), defaults.maxPayloadBytes(), defaults.allowedClasses());
    this.group = Transports.newEventLoopGroup(1, "jobengine-client-io");
    try {
      this.channel = Transports.channel(address, group, defaults.maxPayloadBytes(), authkey, tls);
    } catch (RuntimeException e) { // unusable TLS files
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
    this.objects = new RemoteObjectAccess(channel, SessionHeader.newClientSession(), payloads);
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
  public Pool pool(int workers) {
    throw notYet("pools");
  }

  @Override
  public Pool pool(PoolOptions options) {
    throw notYet("pools");
  }

  @Override
  public EngineProcess process(Job target) {
    throw notYet("processes");
  }

  private static UnsupportedOperationException notYet(String what) {
    return new UnsupportedOperationException(what + " through a daemon are not available yet: a connected engine "
        + "offers the daemon's shared objects; start an embedded engine (Engine.start) for " + what);
  }

  /** Ends the session: the daemon gives back what it held. */
  @Override
  public void close() {
    Handles.unregister(address);
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
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "jobengine client of " + address;
  }
}

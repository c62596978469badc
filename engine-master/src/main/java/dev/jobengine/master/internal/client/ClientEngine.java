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
import dev.jobengine.core.wire.Transports;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.Reply;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An engine connected to a daemon ({@code Engine.connect}): its shared objects are the daemon's,
 * reached over one connection, as a worker reaches its master's. The client is a session of its
 * own: when it closes, disconnects or dies, the daemon gives back the locks, permits and taken
 * items it held. Pools and processes through a daemon are not available yet.
 */
public final class ClientEngine extends SharedObjectEngine {
  /** How long connecting may take before {@link #connect} gives up. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final String address;
  private final EventLoopGroup group;
  private final ManagedChannel channel;
  private final RemoteObjectAccess objects;

  private ClientEngine(String address, byte[] authkey) {
    this.address = address;
    EngineOptions defaults = EngineOptions.defaults();
    Payloads payloads = new Payloads(defaults.codec(), defaults.maxPayloadBytes(), defaults.allowedClasses());
    this.group = Transports.newEventLoopGroup(1, "jobengine-client-io");
    this.channel = Transports.channel(address, group, defaults.maxPayloadBytes(), authkey);
    this.objects = new RemoteObjectAccess(channel, SessionHeader.newClientSession(), payloads);
    Handles.register(address, objects);
    objects(new SharedObjects(address, objects));
  }

  /**
   * Connects to the daemon at {@code target} ({@code host:port}), within {@link #CONNECT_TIMEOUT},
   * and checks, with one round trip, that it admits {@code authkey}; a {@link JobEngineException}
   * says why not.
   */
  public static ClientEngine connect(String target, byte[] authkey) {
    if (target == null || target.lastIndexOf(':') <= 0) {
      throw new IllegalArgumentException("a daemon's address is host:port, was " + target);
    }
    ClientEngine engine = new ClientEngine(target.startsWith("tcp:") ? target : "tcp:" + target, authkey);
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
      CountDownLatch changed = new CountDownLatch(1);
      channel.notifyWhenStateChanged(state, changed::countDown);
      changed.await(left, TimeUnit.NANOSECONDS);
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

package dev.jobengine.master.contract;

import dev.jobengine.EngineProcess;
import dev.jobengine.JavaSerializationCodec;
import dev.jobengine.Job;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.core.objects.RemoteObjectAccess;
import dev.jobengine.core.objects.SharedObjectEngine;
import dev.jobengine.core.objects.SharedObjects;
import dev.jobengine.core.wire.Payloads;
import dev.jobengine.master.internal.hub.ObjectsGrpcService;
import dev.jobengine.master.internal.hub.SessionInterceptor;
import dev.jobengine.master.internal.objects.LocalObjectAccess;
import dev.jobengine.master.internal.objects.ObjectDispatcher;
import dev.jobengine.master.internal.objects.ObjectRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The master's shared objects without a hub: reached through the master's own access, or as a
 * worker reaches them (its RemoteObjectAccess, read-ahead included) over grpc-java's in-process
 * transport to the real ObjectsGrpcService. {@link #close()} fails if a server, channel or thread
 * does not stop within a bound.
 */
public final class ObjectsFixture implements AutoCloseable {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService objectsExecutor = Executors.newFixedThreadPool(2);
  private final Payloads payloads = new Payloads(new JavaSerializationCodec(), 1 << 20);
  private final ObjectRegistry registry = new ObjectRegistry();
  private final ObjectDispatcher dispatcher = new ObjectDispatcher(registry, payloads, timer);
  private final String serverName = InProcessServerBuilder.generateName();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<RemoteObjectAccess> remotes = new ArrayList<>();
  private Server server;
  /** Runs the server's handlers, as a transport thread does; null: the caller's thread. */
  private final ExecutorService serverThread;

  /** Handlers run on the calling thread: every call is performed before it returns. */
  public ObjectsFixture() {
    this(false);
  }

  /**
   * With {@code serverThread}, the server's handlers run on a thread of their own, as on a real
   * transport's event loop: what a worker sends without waiting is then in flight for a while.
   */
  public ObjectsFixture(boolean serverThread) {
    this.serverThread = serverThread ? Executors.newSingleThreadExecutor() : null;
  }

  public ObjectRegistry registry() {
    return registry;
  }

  /** An engine whose handles call the dispatcher directly, as the master's own do. */
  public SharedObjectEngine local() {
    return new ObjectsOnly(new SharedObjects("local", new LocalObjectAccess(dispatcher, payloads)));
  }

  /** An engine whose handles go over in-process gRPC, as session {@code session}. */
  public synchronized SharedObjectEngine remote(long session) throws IOException {
    if (server == null) {
      InProcessServerBuilder b = InProcessServerBuilder.forName(serverName);
      if (serverThread == null) {
        b.directExecutor();
      } else {
        b.executor(serverThread);
      }
      server = b
          .addService(ServerInterceptors.intercept(new ObjectsGrpcService(dispatcher, objectsExecutor, registry::sessionEnded), new SessionInterceptor()))
          .build()
          .start();
    }
    ManagedChannel channel = InProcessChannelBuilder.forName(serverName).directExecutor().build();
    channels.add(channel);
    RemoteObjectAccess access = new RemoteObjectAccess(channel, session, payloads);
    remotes.add(access);
    return new ObjectsOnly(new SharedObjects("in-process", access));
  }

  @Override
  public synchronized void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while stopping the fixture", e);
    }
  }

  private void stop() throws InterruptedException {
    remotes.forEach(RemoteObjectAccess::close);
    for (ManagedChannel c : channels) {
      if (!c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)) {
        throw new AssertionError("an in-process channel did not terminate");
      }
    }
    if (server != null && !server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)) {
      throw new AssertionError("the in-process server did not terminate");
    }
    timer.shutdownNow();
    objectsExecutor.shutdownNow();
    if (serverThread != null) {
      serverThread.shutdownNow();
      if (!serverThread.awaitTermination(5, TimeUnit.SECONDS)) {
        throw new AssertionError("the server thread did not end");
      }
    }
    if (!timer.awaitTermination(5, TimeUnit.SECONDS) || !objectsExecutor.awaitTermination(5, TimeUnit.SECONDS)) {
      throw new AssertionError("a fixture thread did not end");
    }
  }

  /** The shared-object half of an engine; it has no pools or processes. */
  private static final class ObjectsOnly extends SharedObjectEngine {
    ObjectsOnly(SharedObjects objects) {
      objects(objects);
    }

    @Override
    public Pool pool(int workers) {
      throw new UnsupportedOperationException("no pools here");
    }

    @Override
    public Pool pool(PoolOptions options) {
      throw new UnsupportedOperationException("no pools here");
    }

    @Override
    public EngineProcess process(Job target) {
      throw new UnsupportedOperationException("no processes here");
    }

    @Override
    public void close() {}
  }

}

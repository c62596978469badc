package dev.jobengine.master.internal.hub;

import dev.jobengine.master.internal.pool.LeasedPool;
import dev.jobengine.master.internal.process.LeasedProcess;
import dev.jobengine.proto.LeasesGrpc;
import dev.jobengine.proto.PoolEvent;
import dev.jobengine.proto.PoolRequest;
import dev.jobengine.proto.ProcessEvent;
import dev.jobengine.proto.ProcessRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * A daemon's Leases service: each call is one client's pool or process (its session from the
 * call's metadata), run on the daemon's fleet of workers.
 */
public final class LeasesGrpcService extends LeasesGrpc.LeasesImplBase {
  private final LeasedPool.Daemon daemon;

  public LeasesGrpcService(LeasedPool.Daemon daemon) {
    this.daemon = daemon;
  }

  private static long session(StreamObserver<?> out) {
    Long session = SessionInterceptor.SESSION.get();
    if (session == null) {
      out.onError(Status.INVALID_ARGUMENT.withDescription("a lease needs the client's session").asRuntimeException());
      return -1;
    }
    return session;
  }

  @Override
  public StreamObserver<PoolRequest> pool(StreamObserver<PoolEvent> out) {
    long session = session(out);
    return session < 0 ? new Ignore<>() : LeasedPool.accept(daemon, session, out);
  }

  @Override
  public StreamObserver<ProcessRequest> process(StreamObserver<ProcessEvent> out) {
    long session = session(out);
    return session < 0 ? new Ignore<>()
        : LeasedProcess.accept(daemon.supervisor(), daemon::stored, daemon::accepting, session, out);
  }

  private static final class Ignore<T> implements StreamObserver<T> {
    @Override
    public void onNext(T value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}

package dev.jobengine.master.internal.hub;

import dev.jobengine.proto.Hello;
import dev.jobengine.proto.HubGrpc;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.WorkerMessage;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's worker channel: a thin adapter that binds each stream, by the worker id in its first
 * (hello) message, to the endpoint registered for that worker, and forwards what follows.
 */
public final class HubGrpcService extends HubGrpc.HubImplBase {
  private static final Logger log = LoggerFactory.getLogger(HubGrpcService.class);

  private final Map<Integer, WorkerEndpoint> endpoints = new ConcurrentHashMap<>();
  /** Takes in a worker that says hello with id 0 (it joined of its own accord); null refuses it. */
  private volatile Function<Hello, WorkerEndpoint> joiner = hello -> null;

  public void joiner(Function<Hello, WorkerEndpoint> joiner) {
    this.joiner = joiner;
  }

  public void register(int workerId, WorkerEndpoint endpoint) {
    endpoints.put(workerId, endpoint);
  }

  public void unregister(int workerId) {
    endpoints.remove(workerId);
  }

  private volatile SessionBindings bindings;

  /** Binds each launched worker's session to the connection it says hello on. */
  public void bindings(SessionBindings bindings) {
    this.bindings = bindings;
  }

  @Override
  public StreamObserver<WorkerMessage> work(StreamObserver<MasterMessage> out) {
    java.net.SocketAddress remote = SessionInterceptor.REMOTE.get();
    return new StreamObserver<>() {
      private WorkerEndpoint endpoint;

      @Override
      public void onNext(WorkerMessage m) {
        if (endpoint == null) {
          if (!m.hasHello()) {
            out.onError(Status.FAILED_PRECONDITION.withDescription("first message must be hello").asRuntimeException());
            return;
          }
          int id = m.getHello().getWorkerId();
          endpoint = id == 0 ? joiner.apply(m.getHello()) : endpoints.remove(id);
          if (endpoint == null && id == 0) {
            log.warn("refused a worker that joined of its own accord: this engine takes only workers it started");
            out.onError(Status.PERMISSION_DENIED.withDescription("this engine takes only workers it started").asRuntimeException());
            return;
          }
          if (endpoint == null) {
            log.warn("refused a worker stream: unknown worker id {}", m.getHello().getWorkerId());
            out.onError(Status.NOT_FOUND.withDescription("unknown worker id").asRuntimeException());
            return;
          }
          SessionBindings b = bindings;
          if (b != null && id != 0) {
            b.bindWorker(id, remote);
          }
          endpoint.connected(m.getHello(), out);
        } else {
          endpoint.heard();
          if (m.hasResults()) {
            endpoint.results(m.getResults());
          } else if (m.hasRevoked()) {
            endpoint.revoked(m.getRevoked());
          }
        }
      }

      @Override
      public void onError(Throwable t) {
        if (endpoint != null) {
          endpoint.disconnected(t);
        }
      }

      @Override
      public void onCompleted() {
        if (endpoint != null) {
          endpoint.disconnected(null);
        }
        out.onCompleted();
      }
    };
  }
}

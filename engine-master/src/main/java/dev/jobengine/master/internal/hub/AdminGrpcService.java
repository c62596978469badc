package dev.jobengine.master.internal.hub;

import dev.jobengine.proto.AdminGrpc;
import dev.jobengine.proto.StatusReply;
import dev.jobengine.proto.StatusRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code jobengine status}: the engine's state, made on {@code executor} (it reads /proc files and
 * takes each shared object's monitor in turn, which the hub's event loop should not wait for).
 */
public final class AdminGrpcService extends AdminGrpc.AdminImplBase {
  private static final Logger log = LoggerFactory.getLogger(AdminGrpcService.class);

  private final Supplier<StatusReply> status;
  private final Executor executor;

  public AdminGrpcService(Supplier<StatusReply> status, Executor executor) {
    this.status = status;
    this.executor = executor;
  }

  @Override
  public void status(StatusRequest request, StreamObserver<StatusReply> out) {
    try {
      executor.execute(() -> {
        StatusReply reply;
        try {
          reply = status.get();
        } catch (RuntimeException e) {
          log.warn("could not make a status report", e);
          out.onError(Status.INTERNAL.withDescription("could not make a status report: " + e).asRuntimeException());
          return;
        }
        out.onNext(reply);
        out.onCompleted();
      });
    } catch (RejectedExecutionException closing) {
      out.onError(Status.UNAVAILABLE.withDescription("the engine is closing").asRuntimeException());
    }
  }
}

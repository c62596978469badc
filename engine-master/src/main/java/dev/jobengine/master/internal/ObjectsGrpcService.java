package dev.jobengine.master.internal;

import dev.jobengine.internal.wire.SessionHeader;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.ObjectsGrpc;
import dev.jobengine.proto.Reply;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * Shared-object calls from workers: a thin adapter over {@link ObjectDispatcher}. A blocking call
 * holds no thread while it waits; if the caller goes away (cancelled, interrupted, died) the wait is
 * withdrawn, and anything granted to a reply that can no longer be delivered is given back.
 */
final class ObjectsGrpcService extends ObjectsGrpc.ObjectsImplBase {
  static final Context.Key<Long> SESSION = Context.key("jobengine-session");

  private final ObjectDispatcher dispatcher;

  ObjectsGrpcService(ObjectDispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @Override
  public void invoke(Invocation request, StreamObserver<Reply> out) {
    Long session = SESSION.get();
    ObjectDispatcher.Call call = dispatcher.invoke(session == null ? -1 : session, request);
    ServerCallStreamObserver<Reply> server = (ServerCallStreamObserver<Reply>) out;
    server.setOnCancelHandler(() -> call.abandon(ObjectDispatcher.TIMED_OUT));
    call.reply().thenAccept(reply -> {
      synchronized (server) {
        if (!server.isCancelled()) {
          server.onNext(reply);
          server.onCompleted();
        }
      }
    });
  }

  /** Puts the caller's session (from {@link SessionHeader}) into the call's context. */
  static final class SessionInterceptor implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      String s = headers.get(SessionHeader.KEY);
      if (s == null) {
        return next.startCall(call, headers);
      }
      long session;
      try {
        session = Long.parseLong(s);
      } catch (NumberFormatException e) {
        call.close(io.grpc.Status.INVALID_ARGUMENT.withDescription("bad session header"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return Contexts.interceptCall(Context.current().withValue(SESSION, session), call, headers, next);
    }
  }
}

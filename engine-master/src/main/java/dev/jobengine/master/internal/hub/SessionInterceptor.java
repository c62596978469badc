package dev.jobengine.master.internal.hub;

import dev.jobengine.core.wire.SessionHeader;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/** Puts the caller's session (from {@link SessionHeader}) into the call's context. */
public final class SessionInterceptor implements ServerInterceptor {
  static final Context.Key<Long> SESSION = Context.key("jobengine-session");

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
      call.close(Status.INVALID_ARGUMENT.withDescription("bad session header"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(SESSION, session), call, headers, next);
  }
}

package dev.jobengine.master.internal.hub;

import dev.jobengine.core.wire.SessionHeader;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.SocketAddress;

/** Puts the caller's session (from {@link SessionHeader}) and its address into the call's context. */
public final class SessionInterceptor implements ServerInterceptor {
  static final Context.Key<Long> SESSION = Context.key("jobengine-session");
  static final Context.Key<SocketAddress> REMOTE = Context.key("jobengine-remote-address");

  private final SessionBindings bindings;

  /** Admits every session. */
  public SessionInterceptor() {
    this(null);
  }

  /** Admits a session only from the connection that owns it (see {@link SessionBindings}). */
  public SessionInterceptor(SessionBindings bindings) {
    this.bindings = bindings;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    String s = headers.get(SessionHeader.KEY);
    if (s == null) {
      SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      return Contexts.interceptCall(Context.current().withValue(REMOTE, remote), call, headers, next);
    }
    long session;
    try {
      session = Long.parseLong(s);
    } catch (NumberFormatException e) {
      call.close(Status.INVALID_ARGUMENT.withDescription("bad session header"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (bindings != null && !bindings.admit(session, remote)) {
      call.close(Status.PERMISSION_DENIED.withDescription("session " + session + " belongs to another connection"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(
        Context.current().withValues(SESSION, session, REMOTE, remote), call, headers, next);
  }
}

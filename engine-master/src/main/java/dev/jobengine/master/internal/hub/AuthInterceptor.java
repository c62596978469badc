package dev.jobengine.master.internal.hub;

import dev.jobengine.core.wire.AuthToken;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves a call only if it presents the engine's auth token; refuses and logs it otherwise. */
public final class AuthInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(AuthInterceptor.class);

  private final byte[] expected;

  public AuthInterceptor(byte[] authkey) {
    this.expected = AuthToken.token(authkey);
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    if (AuthToken.matches(expected, headers.get(AuthToken.HEADER))) {
      return next.startCall(call, headers);
    }
    log.warn(
        "refused {} from {}: wrong or missing authkey",
        call.getMethodDescriptor().getFullMethodName(),
        call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    call.close(Status.UNAUTHENTICATED.withDescription("wrong or missing authkey"), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}

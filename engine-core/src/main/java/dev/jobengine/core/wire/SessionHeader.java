package dev.jobengine.core.wire;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;

/**
 * The session a worker's shared-object calls belong to (its worker id): locks, permits and taken
 * items are owned per session and given back when the session's process ends.
 */
public final class SessionHeader {
  public static final Metadata.Key<String> KEY =
      Metadata.Key.of("jobengine-session", Metadata.ASCII_STRING_MARSHALLER);

  private SessionHeader() {}

  public static ClientInterceptor interceptor(long session) {
    Metadata headers = new Metadata();
    headers.put(KEY, Long.toString(session));
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }
}

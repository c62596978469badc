package dev.jobengine.core.wire;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.security.SecureRandom;

/**
 * The session a process's shared-object calls belong to: locks, permits and taken items are owned
 * per session and given back when it ends. A worker's session is its worker id (a small number) and
 * ends with its process; a daemon client's is a random number of at least {@link #FIRST_CLIENT}
 * and ends with its connection.
 */
public final class SessionHeader {
  public static final Metadata.Key<String> KEY =
      Metadata.Key.of("jobengine-session", Metadata.ASCII_STRING_MARSHALLER);

  /** Client sessions are at least this; workers' ids (ints) are below it. */
  public static final long FIRST_CLIENT = 1L << 40;

  private SessionHeader() {}

  /** Whether {@code session} is a daemon client's. */
  public static boolean isClient(long session) {
    return session >= FIRST_CLIENT;
  }

  /** A new client session: random, so that no two clients share one. */
  public static long newClientSession() {
    return FIRST_CLIENT + (new SecureRandom().nextLong() >>> 2);
  }

  public static ClientInterceptor interceptor(long session) {
    Metadata headers = new Metadata();
    headers.put(KEY, Long.toString(session));
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }
}

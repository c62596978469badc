package dev.jobengine.master.internal.client;

import dev.jobengine.core.wire.Tls;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.ssl.NotSslRecordException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/** Connection failures that waiting will not mend, told apart from those (no daemon there yet) worth retrying. */
final class ConnectFailures {
  /** A method no daemon serves; see {@code ClientEngine.probe}. */
  static final MethodDescriptor<byte[], byte[]> PROBE = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName("jobengine.ConnectProbe", "Probe"))
      .setRequestMarshaller(new Bytes())
      .setResponseMarshaller(new Bytes())
      .build();

  private ConnectFailures() {}

  /**
   * What to tell the caller of {@code Engine.connect(target, ...)} about a failed connection
   * attempt, {@code status}, if waiting will not mend it; null if it may (no daemon listening yet,
   * say). Such failures: a TLS handshake that failed (an untrusted certificate, a refused client
   * certificate), a TLS client answered in plaintext, and a plaintext client whose connection is
   * closed before any answer, as a TLS daemon does.
   */
  static String refusal(Status status, String target, boolean overTls) {
    if (status.getCode() != Status.Code.UNAVAILABLE) {
      return null;
    }
    String prefix = "cannot connect to the daemon at " + target + ": ";
    // a peer that closes a connection it has not read to the end resets it
    boolean reset = mentions(status.getCause(), "Connection reset");
    if (!overTls) {
      boolean closedUnanswered = status.getCause() == null && status.getDescription() != null
          && status.getDescription().startsWith("Network closed");
      if (closedUnanswered || reset || find(status.getCause(), Http2Exception.class) != null) {
        return prefix + "it closed the connection without answering, as a daemon listening over TLS does "
            + "to a plaintext client: connect to tls:" + target + " (or it is no jobengine daemon)";
      }
      return null;
    }
    if (find(status.getCause(), NotSslRecordException.class) != null) {
      return prefix + "it answered without TLS: it listens in plaintext (no --tls-cert); connect to "
          + target.substring("tls:".length()) + " (or it is no jobengine daemon)";
    }
    SSLException ssl = find(status.getCause(), SSLException.class);
    if (ssl == null) {
      return reset ? prefix + "it reset the connection during the TLS handshake, as a daemon listening in plaintext "
          + "(no --tls-cert) may; connect to " + target.substring("tls:".length()) + " (or it is no jobengine daemon)"
          : null;
    }
    String why = ssl.getMessage();
    if (find(ssl, CertPathBuilderException.class) != null || find(ssl, CertPathValidatorException.class) != null) {
      return prefix + "the TLS handshake failed: its certificate is not trusted (" + why + "); trust it, or the CA "
          + "that signed it, with -D" + Tls.TRUST_PROPERTY + "=FILE.pem";
    }
    if (find(ssl, CertificateException.class) != null) {
      return prefix + "the TLS handshake failed: its certificate was refused (" + why + "), for instance as not "
          + "naming the host connected to";
    }
    if (why != null && why.contains("alert") && (why.contains("certificate") || why.contains("unknown_ca"))) {
      return prefix + "the TLS handshake failed: the daemon refused this client's certificate, or its lack of one ("
          + why + "); it requires a certificate signed by its client CA: -D" + Tls.CERT_PROPERTY + "=FILE.pem and -D"
          + Tls.KEY_PROPERTY + "=FILE.pem";
    }
    return prefix + "the TLS handshake failed (" + why + ")";
  }

  /** Whether a message in {@code t}'s cause chain contains {@code text}. */
  private static boolean mentions(Throwable t, String text) {
    for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
      if (t.getMessage() != null && t.getMessage().contains(text)) {
        return true;
      }
    }
    return false;
  }

  /** The first throwable in {@code t}'s cause chain that is a {@code type}, or null. */
  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}

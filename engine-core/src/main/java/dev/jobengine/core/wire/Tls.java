package dev.jobengine.core.wire;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * TLS settings of one side of a hub connection, as PEM files; null means absent. On a server:
 * {@code certChain} and {@code privateKey} (PKCS#8) are its own, {@code trustCerts} the CA
 * certificates a client's certificate must be signed by (mutual TLS; null admits clients without
 * one). On a client: {@code trustCerts} the certificates the server's must chain to (null: the
 * JDK's default trust store), {@code certChain} and {@code privateKey} the client's own certificate,
 * for mutual TLS, or null. Always the JDK's TLS implementation (and its ALPN), so no native library.
 * TLS comes on top of the authkey, never instead of it.
 */
public record Tls(Path certChain, Path privateKey, Path trustCerts) {
  /** System property of a client JVM: PEM certificates a daemon's certificate must chain to. */
  public static final String TRUST_PROPERTY = "jobengine.tls.trust";
  /** System property of a client JVM: its PEM certificate chain, for mutual TLS. */
  public static final String CERT_PROPERTY = "jobengine.tls.cert";
  /** System property of a client JVM: its PEM PKCS#8 private key, for mutual TLS. */
  public static final String KEY_PROPERTY = "jobengine.tls.key";

  public Tls {
    if ((certChain == null) != (privateKey == null)) {
      throw new IllegalArgumentException("a TLS certificate needs its private key and a key its certificate; got "
          + (certChain == null ? "a key (" + privateKey + ") without a certificate" : "a certificate (" + certChain
          + ") without a key"));
    }
  }

  /** A server's settings; {@code clientCa} null unless clients must present a certificate signed by it. */
  public static Tls server(Path certChain, Path privateKey, Path clientCa) {
    if (certChain == null) {
      throw new IllegalArgumentException("a TLS server needs a certificate and its private key");
    }
    return new Tls(certChain, privateKey, clientCa);
  }

  /**
   * A client's settings from {@link #TRUST_PROPERTY}, {@link #CERT_PROPERTY} and {@link
   * #KEY_PROPERTY}; none set means: trust what the JDK trusts, present no certificate.
   */
  public static Tls clientFromSystemProperties() {
    Path cert = pathProperty(CERT_PROPERTY);
    Path key = pathProperty(KEY_PROPERTY);
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("a client certificate needs both -D" + CERT_PROPERTY + " and -D" + KEY_PROPERTY
          + "; only -D" + (cert == null ? KEY_PROPERTY : CERT_PROPERTY) + " is set");
    }
    return new Tls(cert, key, pathProperty(TRUST_PROPERTY));
  }

  private static Path pathProperty(String name) {
    String value = System.getProperty(name);
    return value == null || value.isBlank() ? null : Path.of(value.trim());
  }

  /** The server's context: its certificate, and, with {@code trustCerts}, client certificates required. */
  public SslContext serverContext() {
    if (certChain == null) {
      throw new IllegalStateException("a TLS server needs a certificate and its private key");
    }
    File cert = readable(certChain, "certificate");
    File key = readable(privateKey, "private key");
    File clientCa = trustCerts == null ? null : readable(trustCerts, "client CA");
    try {
      SslContextBuilder b = GrpcSslContexts.configure(SslContextBuilder.forServer(cert, key), SslProvider.JDK);
      if (clientCa != null) {
        b.trustManager(clientCa).clientAuth(ClientAuth.REQUIRE);
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot use the TLS files (certificate " + certChain + ", key " + privateKey
          + (trustCerts == null ? "" : ", client CA " + trustCerts) + "): " + e.getMessage(), e);
    }
  }

  /** The client's context: trusting {@code trustCerts} (else the JDK's defaults), presenting its certificate if any. */
  public SslContext clientContext() {
    File trust = trustCerts == null ? null : readable(trustCerts, "trusted certificates (-D" + TRUST_PROPERTY + ")");
    File cert = certChain == null ? null : readable(certChain, "client certificate (-D" + CERT_PROPERTY + ")");
    File key = privateKey == null ? null : readable(privateKey, "client private key (-D" + KEY_PROPERTY + ")");
    try {
      SslContextBuilder b = GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK);
      if (trust != null) {
        b.trustManager(trust);
      }
      if (cert != null) {
        b.keyManager(cert, key);
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot use the client's TLS files (trust " + trustCerts + ", certificate "
          + certChain + ", key " + privateKey + "): " + e.getMessage(), e);
    }
  }

  private static File readable(Path file, String what) {
    if (!Files.isReadable(file) || Files.isDirectory(file)) {
      throw new IllegalArgumentException("the " + what + " file " + file + " is missing or unreadable");
    }
    return file.toFile();
  }
}

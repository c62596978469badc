package dev.jobengine.master.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.net.ConnectException;
import java.net.SocketException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ConnectFailuresTest {
  private static final String PLAIN = "10.0.0.5:7070";
  private static final String TLS = "tls:10.0.0.5:7070";

  private static Status unavailable(Throwable cause) {
    return Status.UNAVAILABLE.withDescription("io exception").withCause(cause);
  }

  private static SSLHandshakeException handshake(String message, Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException(message);
    e.initCause(cause);
    return e;
  }

  @Test
  void noDaemonListeningYetIsWorthWaitingFor() {
    Status refusedConnection = unavailable(new ConnectException("Connection refused: /10.0.0.5:7070"));
    assertThat(ConnectFailures.refusal(refusedConnection, PLAIN, false)).isNull();
    assertThat(ConnectFailures.refusal(refusedConnection, TLS, true)).isNull();
    assertThat(ConnectFailures.refusal(Status.DEADLINE_EXCEEDED, TLS, true)).isNull();
    assertThat(ConnectFailures.refusal(Status.UNIMPLEMENTED, PLAIN, false)).as("it is up").isNull();
  }

  @Test
  void aPlaintextClientWhoseConnectionIsClosedUnansweredIsToldOfTls() {
    for (Status closed : new Status[] {
        Status.UNAVAILABLE.withDescription("Network closed for unknown reason"),
        unavailable(new SocketException("Connection reset"))}) {
      assertThat(ConnectFailures.refusal(closed, PLAIN, false))
          .as(closed.toString()).contains(PLAIN).contains("tls:" + PLAIN).contains("TLS");
    }
  }

  @Test
  void aTlsClientAnsweredInPlaintextIsToldSo() {
    String why = ConnectFailures.refusal(unavailable(new NotSslRecordException("not an SSL/TLS record: 0000")), TLS, true);
    assertThat(why).contains(TLS).contains("without TLS").contains("connect to " + PLAIN);
  }

  @Test
  void anUntrustedCertificateSaysHowToTrustIt() {
    Status untrusted = unavailable(handshake("PKIX path building failed", new CertificateException(
        "PKIX path building failed", new CertPathBuilderException("unable to find valid certification path"))));
    assertThat(ConnectFailures.refusal(untrusted, TLS, true))
        .contains(TLS).contains("TLS handshake failed").contains("not trusted").contains("-Djobengine.tls.trust");
    Status misnamed = unavailable(handshake("No subject alternative names matching IP address 10.0.0.5 found",
        new CertificateException("No subject alternative names matching IP address 10.0.0.5 found")));
    assertThat(ConnectFailures.refusal(misnamed, TLS, true)).contains("certificate was refused").contains("naming");
  }

  @Test
  void aRefusedClientCertificateSaysWhichPropertiesGiveOne() {
    Status refused = Status.UNAVAILABLE.withDescription("ssl exception")
        .withCause(new DecoderException(new SSLHandshakeException("Received fatal alert: bad_certificate")));
    assertThat(ConnectFailures.refusal(refused, TLS, true))
        .contains(TLS).contains("client's certificate").contains("-Djobengine.tls.cert").contains("-Djobengine.tls.key");
  }
}

package dev.jobengine.master.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DaemonCommandTest {
  private static final Path CERT = Path.of("cert.pem");
  private static final Path KEY = Path.of("key.pem");
  private static final Path CA = Path.of("ca.pem");

  private static String problem(String listen, Path cert, Path key, Path ca) throws Exception {
    return DaemonCommand.tlsProblem(listen, DaemonCommand.parse(listen), cert, key, ca);
  }

  @Test
  void loopbackNeedsNoTls() throws Exception {
    assertThat(problem("127.0.0.1:7070", null, null, null)).isNull();
    assertThat(problem("localhost:0", null, null, null)).isNull();
  }

  @Test
  void beyondLoopbackNeedsACertificateAndItsKey() throws Exception {
    assertThat(problem("0.0.0.0:7070", null, null, null))
        .contains("0.0.0.0:7070").contains("TLS").contains("--tls-cert").contains("--tls-key");
    assertThat(problem("0.0.0.0:7070", CERT, KEY, null)).isNull();
    assertThat(problem("127.0.0.1:7070", CERT, KEY, null)).as("TLS on loopback too").isNull();
    assertThat(problem("0.0.0.0:7070", CERT, KEY, CA)).isNull();
  }

  @Test
  void aCertificateAndItsKeyGoTogether() throws Exception {
    assertThat(problem("127.0.0.1:0", CERT, null, null)).startsWith("--tls-cert needs --tls-key");
    assertThat(problem("0.0.0.0:0", null, KEY, null)).startsWith("--tls-key needs --tls-cert");
    assertThat(problem("127.0.0.1:0", null, null, CA)).startsWith("--tls-client-ca needs --tls-cert and --tls-key");
  }
}

package dev.jobengine.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {
  private static final List<String> PROPERTIES = List.of(Tls.TRUST_PROPERTY, Tls.CERT_PROPERTY, Tls.KEY_PROPERTY);

  @TempDir Path dir;
  private final Map<String, String> before = new HashMap<>();

  @BeforeEach
  void clearProperties() {
    for (String name : PROPERTIES) {
      before.put(name, System.getProperty(name));
      System.clearProperty(name);
    }
  }

  @AfterEach
  void restoreProperties() {
    before.forEach((name, value) -> {
      if (value == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, value);
      }
    });
  }

  @Test
  void aCertificateNeedsItsKeyAndAKeyItsCertificate() {
    assertThatThrownBy(() -> new Tls(dir.resolve("c.pem"), null, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("c.pem").hasMessageContaining("without a key");
    assertThatThrownBy(() -> new Tls(null, dir.resolve("k.pem"), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k.pem");
    assertThatThrownBy(() -> Tls.server(null, null, dir.resolve("ca.pem")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("certificate");
  }

  @Test
  void aClientTakesItsSettingsFromSystemProperties() {
    assertThat(Tls.clientFromSystemProperties()).isEqualTo(new Tls(null, null, null));
    System.setProperty(Tls.TRUST_PROPERTY, "/etc/ca.pem");
    System.setProperty(Tls.CERT_PROPERTY, "/etc/me.pem");
    System.setProperty(Tls.KEY_PROPERTY, "/etc/me-key.pem");
    assertThat(Tls.clientFromSystemProperties())
        .isEqualTo(new Tls(Path.of("/etc/me.pem"), Path.of("/etc/me-key.pem"), Path.of("/etc/ca.pem")));
    System.clearProperty(Tls.KEY_PROPERTY);
    assertThatThrownBy(Tls::clientFromSystemProperties)
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-Djobengine.tls.key");
  }

  @Test
  void missingOrInvalidFilesAreNamed() throws Exception {
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> new Tls(null, null, missing).clientContext())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
    assertThatThrownBy(() -> new Tls(null, null, garbage).clientContext())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(garbage.toString());
    assertThatThrownBy(() -> Tls.server(garbage, garbage, null).serverContext())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(garbage.toString());
  }

  @Test
  void aClientWithoutTrustFileTrustsWhatTheJdkTrusts() {
    assertThat(new Tls(null, null, null).clientContext().isClient()).isTrue();
  }
}

package dev.jobengine.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.UnixDomainSocketAddress;
import org.junit.jupiter.api.Test;

class TransportsTest {
  @Test
  void theNoNativeSwitchIsNettysOwnProperty() { // under Netty's package prefix, relocated or not
    assertThat(Transports.NETTY_NO_NATIVE_PROPERTY).endsWith("io.netty.transport.noNative");
  }

  @Test
  void nativeAccessIsWithheldOnlyWhereTheJdkRestrictsItAndNoOptionAllowsIt() {
    boolean allowed = Runtime.version().feature() < 22
        || ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .anyMatch(a -> a.startsWith("--enable-native-access"));
    assertThat(Transports.nativeAccessEnabled()).isEqualTo(allowed);
  }

  @Test
  void withoutEpollAUnixSocketIsTheJdksOwn() {
    if (Transports.unixSocketsAvailable() && !Transports.epollAvailable()) {
      assertThat(Transports.unixSocketAddress("/tmp/x.sock")).isInstanceOf(UnixDomainSocketAddress.class);
    } else if (Transports.epollAvailable()) {
      assertThat(Transports.unixSocketAddress("/tmp/x.sock")).isNotInstanceOf(UnixDomainSocketAddress.class);
    }
  }
}

package dev.jobengine.master.internal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.JavaSerializationCodec;
import dev.jobengine.PoolOptions;
import dev.jobengine.core.wire.Transports;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerLauncherTest {
  private final WorkerLauncher launcher =
      new WorkerLauncher("unix:/tmp/x/hub.sock", new byte[32], JavaSerializationCodec.class.getName(), 1 << 20);

  private List<String> command() {
    return launcher.command(PoolOptions.builder().workers(1).build(), 1, false, List.of());
  }

  @Test
  void workersStartWithoutNettysJfrEventsUnlessTheMasterAsksForThem() {
    String before = System.getProperty(Transports.NETTY_JFR_PROPERTY);
    try {
      System.clearProperty(Transports.NETTY_JFR_PROPERTY);
      Transports.applyNettyDefaults();
      assertThat(command()).contains("-Dio.netty.jfr.enabled=false");
      System.setProperty(Transports.NETTY_JFR_PROPERTY, "true");
      Transports.applyNettyDefaults();
      assertThat(command()).contains("-Dio.netty.jfr.enabled=true").doesNotContain("-Dio.netty.jfr.enabled=false");
    } finally {
      if (before == null) {
        System.clearProperty(Transports.NETTY_JFR_PROPERTY);
      } else {
        System.setProperty(Transports.NETTY_JFR_PROPERTY, before);
      }
    }
  }
}

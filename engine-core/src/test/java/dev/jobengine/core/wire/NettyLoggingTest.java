package dev.jobengine.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.internal.logging.InternalLogLevel;
import io.netty.util.internal.logging.InternalLogger;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NettyLoggingTest {
  @Test
  void aQuietLoggerDropsDebugAndTraceAndPassesTheRestOn() {
    List<String> got = new ArrayList<>();
    InternalLogger recording = (InternalLogger) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {InternalLogger.class}, (proxy, m, args) -> {
          if (m.getName().startsWith("is")) {
            return true;
          }
          got.add(m.getName() + (args == null ? "" : " " + args[0]));
          return null;
        });
    InternalLogger quiet = NettyLogging.quiet(recording);
    quiet.debug("frame");
    quiet.trace("frame");
    quiet.debug("frame {}", 1);
    quiet.log(InternalLogLevel.DEBUG, "frame");
    assertThat(quiet.isDebugEnabled()).isFalse();
    assertThat(quiet.isTraceEnabled()).isFalse();
    assertThat(quiet.isEnabled(InternalLogLevel.DEBUG)).isFalse();
    assertThat(quiet.isEnabled(InternalLogLevel.WARN)).isTrue();
    assertThat(quiet.isInfoEnabled()).isTrue();
    quiet.info("started");
    quiet.warn("careful");
    quiet.log(InternalLogLevel.ERROR, "broken");
    assertThat(got).containsExactly("info started", "warn careful", "log ERROR");
  }

  @Test
  void onlyARelocatedNettyIsQuietened() {
    assertThat(NettyLogging.relocated(String.join(".", "io", "netty", "util", "Version"))).isFalse();
    assertThat(NettyLogging.relocated("dev.jobengine.shaded.io.netty.util.Version")).isTrue();
  }
}

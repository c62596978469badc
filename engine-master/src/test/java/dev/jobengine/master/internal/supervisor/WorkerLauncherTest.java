package dev.jobengine.master.internal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.JavaSerializationCodec;
import dev.jobengine.PoolOptions;
import dev.jobengine.core.wire.Transports;
import io.netty.channel.epoll.Epoll;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
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

  @Test
  void workersFindNettysEpollLibraryInThePrivateCopyAheadOfTheMastersLibraryPath() throws Exception {
    Assumptions.assumeTrue(Transports.epollAvailable(), "Netty's epoll transport is not available here");
    String option = command().stream().filter(o -> o.startsWith("-Djava.library.path=")).findFirst().orElseThrow();
    String[] path = option.substring("-Djava.library.path=".length()).split(File.pathSeparator, 2);
    Path copy = Path.of(path[0], NativeTransport.libraryFileName());
    try (InputStream original = Epoll.class.getClassLoader().getResourceAsStream("META-INF/native/" + copy.getFileName())) {
      assertThat(Files.readAllBytes(copy)).isEqualTo(original.readAllBytes());
    }
    assertThat(path[0]).startsWith(Path.of(System.getProperty("user.home"), ".cache", "jobengine", "native").toString());
    assertThat(Files.getPosixFilePermissions(Path.of(path[0]))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(path[1]).isEqualTo(System.getProperty("java.library.path"));
  }

  @Test
  void aLibraryPathOfThePoolsOwnIsLeftAlone() {
    List<String> own = List.of("-Djava.library.path=/opt/native");
    assertThat(launcher.command(PoolOptions.builder().workers(1).jvmOptions(own).build(), 1, false, List.of()))
        .filteredOn(o -> o.startsWith("-Djava.library.path=")).containsExactly("-Djava.library.path=/opt/native");
  }
}

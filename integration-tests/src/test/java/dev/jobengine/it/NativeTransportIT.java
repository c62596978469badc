package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jobengine.Engine;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.core.wire.Transports;
import dev.jobengine.test.JobEngineExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Workers load Netty's epoll library from the master's shared copy, not from a temporary file each. */
@ExtendWith(JobEngineExtension.class)
class NativeTransportIT {
  private Engine engine;

  @Test
  void aWorkerMapsTheSharedCopyOfNettysEpollLibrary() throws Exception {
    assumeTrue(Transports.epollAvailable(), "Netty's epoll transport is not available here");
    try (Pool pool = engine.pool(PoolOptions.builder().workers(1).build())) {
      long pid = pool.applyAsync(() -> ProcessHandle.current().pid()).get(60, TimeUnit.SECONDS);
      List<String> maps = Files.readAllLines(Path.of("/proc/" + pid + "/maps"));
      String shared = Path.of(System.getProperty("user.home"), ".cache", "jobengine", "native").toString();
      assertThat(maps).filteredOn(l -> l.contains("netty_transport_native_epoll"))
          .isNotEmpty()
          .allMatch(l -> l.contains(shared) && !l.contains("(deleted)"));
    }
  }
}

package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.Engine;
import dev.jobengine.JobEngineException;
import dev.jobengine.SharedLock;
import dev.jobengine.SharedQueue;
import dev.jobengine.master.cli.JobEngineCli;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real daemon process (`jobengine daemon`) and real client JVMs sharing its objects. */
class DaemonIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final DaemonFixture children = new DaemonFixture();

  private DaemonFixture.Child java(Class<?> main, String... args) throws IOException {
    return children.java(System.getProperty("java.class.path"), main.getName(), args);
  }

  /** Starts a daemon on a free loopback port; returns it and its address. */
  private DaemonFixture.Child daemon(Path key, int workers) throws Exception {
    return java(JobEngineCli.class, "daemon", "--listen", "127.0.0.1:0", "--authkey-file", key.toString(),
        "--workers", Integer.toString(workers));
  }

  private static String address(DaemonFixture.Child daemon) throws InterruptedException {
    String line = daemon.await("jobengine daemon listening on ");
    return line.substring("jobengine daemon listening on ".length()).split(" ")[0];
  }

  @AfterEach
  void killLeftovers() {
    children.close();
  }

  @Test
  void aDaemonCreatesAMissingKeyFileReadableByItsOwnerOnly() throws Exception {
    Path key = dir.resolve("key");
    address(daemon(key, 0));
    assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(key).trim()).hasSizeGreaterThan(20);
  }

  @Test
  void twoClientJvmsShareAQueueAndALock() throws Exception {
    Path key = dir.resolve("key");
    String address = address(daemon(key, 0));
    DaemonFixture.Child other = java(DaemonClient.class, address, key.toString());
    other.await("READY");
    try (Engine engine = Engine.connect(address, key)) {
      SharedQueue<String> queue = engine.queue("shared-queue");
      SharedLock lock = engine.lock("shared-lock");
      assertThat(queue.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("hello from " + other.process().pid());
      assertThat(lock.acquire(Duration.ZERO)).as("the other client holds it").isFalse();
      other.process().getOutputStream().close(); // it releases the lock and exits
      assertThat(lock.acquire(WAIT)).isTrue();
      lock.release();
      assertThat(other.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(other.process().exitValue()).isZero();
    }
  }

  @Test
  void aClientKilledHoldingALockGivesItBack() throws Exception {
    Path key = dir.resolve("key");
    String address = address(daemon(key, 0));
    DaemonFixture.Child other = java(DaemonClient.class, address, key.toString());
    other.await("READY");
    try (Engine engine = Engine.connect(address, key)) {
      SharedLock lock = engine.lock("shared-lock");
      assertThat(lock.acquire(Duration.ZERO)).isFalse();
      long killedAt = System.nanoTime();
      other.process().destroyForcibly();
      assertThat(lock.acquire(WAIT)).as("the dead client's lock comes back").isTrue();
      System.out.printf("a SIGKILLed client's lock came back %.0f ms after the kill%n", (System.nanoTime() - killedAt) / 1e6);
      lock.release();
    }
  }

  @Test
  void aWrongKeyIsRefusedWithAClearError() throws Exception {
    Path key = dir.resolve("key");
    String address = address(daemon(key, 0));
    assertThatThrownBy(() -> Engine.connect(address, "not the key".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(JobEngineException.class)
        .hasMessageContaining(address)
        .hasMessageContaining("authkey");
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> Engine.connect("127.0.0.1:" + silent.getLocalPort(), key))
          .as("a port that never speaks").isInstanceOf(JobEngineException.class).hasMessageContaining("cannot reach");
    }
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> Engine.connect(address, missing))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
    try (Engine engine = Engine.connect(address, key)) {
      assertThat(engine.event("still-serving").isSet()).as("the daemon serves the right key").isFalse();
    }
  }

  @Test
  void anAddressBeyondLoopbackIsRefusedWithoutTls() throws Exception {
    DaemonFixture.Child daemon = java(JobEngineCli.class, "daemon", "--listen", "0.0.0.0:0", "--authkey-file",
        dir.resolve("k").toString());
    assertThat(daemon.await("jobengine daemon: ")).contains("TLS");
    assertThat(daemon.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(daemon.process().exitValue()).isEqualTo(2);
  }

  @Test
  void sigtermEndsTheDaemonAndItsWarmWorkersAndExitsZero() throws Exception {
    DaemonFixture.Child daemon = daemon(dir.resolve("key"), 2);
    address(daemon);
    assertThat(Processes.await(WAIT, () -> daemon.process().children().count() == 2)).as("2 warm workers").isTrue();
    List<Long> workers = daemon.process().children().map(ProcessHandle::pid).toList();
    daemon.process().toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its stdout
    assertThat(daemon.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(daemon.process().exitValue()).isZero();
    assertThat(Processes.await(WAIT, () -> workers.stream().allMatch(Processes::isGone))).as("its workers end").isTrue();
    assertThat(daemon.await("jobengine daemon: ended")).as("it drained first").isNotNull();
  }
}

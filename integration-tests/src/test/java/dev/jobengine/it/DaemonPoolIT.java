package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.AsyncResult;
import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.Pool;
import dev.jobengine.RemoteTaskException;
import dev.jobengine.SharedQueue;
import dev.jobengine.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pools and processes of client JVMs on a real daemon's workers, with the client's own code. */
class DaemonPoolIT {
  @TempDir Path dir;
  private final DaemonFixture fixture = new DaemonFixture();

  @AfterEach
  void cleanUp() {
    fixture.printOutputs();
    fixture.close();
  }

  /** Not on the daemon's class path: it reaches the workers as the client's code. */
  static final class ClientOnlyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClientOnlyException(String message) {
      super(message);
    }
  }

  @Test
  void aClientsOwnLambdasRunOnTheDaemonsWorkers() throws Exception {
    DaemonFixture.Daemon daemon = fixture.daemon(dir.resolve("key"), "--workers", "2");
    String suffix = "-" + System.nanoTime();
    try (Engine engine = Engine.connect(daemon.address(), daemon.key()); Pool pool = engine.pool(2)) {
      LinkedBlockingQueue<String> called = new LinkedBlockingQueue<>();
      AsyncResult<String> r = pool.applyAsync(() -> "ran in " + ProcessHandle.current().pid() + suffix, called::add);
      assertThat(r.get(DaemonFixture.WAIT.toSeconds(), TimeUnit.SECONDS)).endsWith(suffix);
      assertThat(called.poll(DaemonFixture.WAIT.toSeconds(), TimeUnit.SECONDS)).as("the callback ran here").endsWith(suffix);
      long pid = Long.parseLong(r.get().split(" ")[2].replace(suffix, ""));
      assertThat(daemon.process().descendants().map(ProcessHandle::pid)).as("a worker of the daemon ran it").contains(pid);

      List<Integer> squares = pool.map((Integer x) -> x * x, IntStream.range(0, 100).boxed().toList());
      assertThat(squares).hasSize(100).startsWith(0, 1, 4, 9).endsWith(99 * 99);

      Task<Integer> throwing = () -> {
        throw new ClientOnlyException("thrown in the worker");
      };
      assertThatThrownBy(() -> pool.apply(throwing))
          .isInstanceOf(RemoteTaskException.class)
          .hasMessageContaining("thrown in the worker")
          .hasCauseInstanceOf(ClientOnlyException.class);
      assertThat(Processes.await(DaemonFixture.WAIT, () -> pool.workerPids().size() == 2)).isTrue();

      SharedQueue<String> handed = engine.queue("handed-to-a-task");
      SharedQueue<String> back = pool.apply(() -> {
        handed.put("put by a worker through a handle the client made");
        return Engine.current().<String>queue("made-in-a-worker");
      });
      assertThat(handed.take()).isEqualTo("put by a worker through a handle the client made");
      back.put("through a handle a worker made");
      assertThat(engine.<String>queue("made-in-a-worker").take()).isEqualTo("through a handle a worker made");
    }
  }

  @Test
  void codePreloadedWithClasspathIsNotUploadedAgain() throws Exception {
    Path code = dir.resolve("code");
    DaemonFixture.Daemon daemon = fixture.daemon(dir.resolve("key"), "--workers", "1", "--code-dir", code.toString(),
        "--classpath", System.getProperty("java.class.path"));
    List<String> preloaded = jars(code);
    assertThat(preloaded).as("this JVM's own code, stored by the daemon").isNotEmpty();
    try (Engine engine = Engine.connect(daemon.address(), daemon.key()); Pool pool = engine.pool(1)) {
      assertThat(pool.apply(() -> "ran")).isEqualTo("ran");
      ClassLoader inMemory = new ClassLoader("in-memory", getClass().getClassLoader()) {};
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> engine.pool(dev.jobengine.PoolOptions.builder().workers(1).classLoader(inMemory).build()))
          .as("classes in no file cannot travel to a daemon")
          .isInstanceOf(dev.jobengine.JobEngineException.class)
          .hasMessageContaining("in-memory").hasMessageContaining("PoolOptions.classPath");
    }
    assertThat(jars(code)).as("nothing uploaded").isEqualTo(preloaded);
  }

  private static List<String> jars(Path dir) throws java.io.IOException {
    try (var files = java.nio.file.Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
    }
  }

  @Test
  void aSecondPoolGetsTheSameWarmWorkers() throws Exception {
    DaemonFixture.Daemon daemon = fixture.daemon(dir.resolve("key"), "--workers", "2");
    try (Engine engine = Engine.connect(daemon.address(), daemon.key())) {
      Set<Long> first = runOn(engine);
      long start = System.nanoTime();
      Set<Long> second;
      try (Pool pool = engine.pool(2)) {
        pool.apply(() -> 1);
        System.out.printf("second pool's first result %.1f ms after pool(2)%n", (System.nanoTime() - start) / 1e6);
        second = pids(pool);
      }
      assertThat(second).as("the JVMs of the first pool").isEqualTo(first);
    }
  }

  private static Set<Long> runOn(Engine engine) throws Exception {
    Pool pool = engine.pool(2);
    pool.map((Integer x) -> x + 1, IntStream.range(0, 200).boxed().toList());
    Set<Long> pids = pids(pool);
    pool.close();
    assertThat(pool.join(DaemonFixture.WAIT)).as("close+join gives the workers back").isTrue();
    return pids;
  }

  private static Set<Long> pids(Pool pool) {
    assertThat(Processes.await(DaemonFixture.WAIT, () -> pool.workerPids().size() == 2)).isTrue();
    return Set.copyOf(pool.workerPids());
  }

  @Test
  void aClientKilledWhileItsPoolRunsLeavesTheFleetWhole() throws Exception {
    DaemonFixture.Daemon daemon = fixture.daemon(dir.resolve("key"), "--workers", "2", "--max-workers", "2");
    DaemonFixture.Child client = fixture.java(System.getProperty("java.class.path"), DaemonPoolClient.class.getName(),
        daemon.address(), daemon.key().toString());
    client.await("READY");
    try (Engine engine = Engine.connect(daemon.address(), daemon.key())) {
      assertThatThrownBy(() -> engine.pool(1)).as("all 2 workers are leased").hasMessageContaining("--max-workers 2");
      client.process().destroyForcibly();
      assertThat(Processes.await(DaemonFixture.WAIT, () -> {
        try (Pool pool = engine.pool(2)) {
          return pool.apply(() -> 42) == 42;
        } catch (RuntimeException | InterruptedException stillLeased) {
          return false;
        }
      })).as("the dead client's pool ended and the fleet serves again").isTrue();
    }
  }

  @Test
  void aProcessRunsTheClientsJobInADaemonsJvm() throws Exception {
    DaemonFixture.Daemon daemon = fixture.daemon(dir.resolve("key"), "--workers", "1");
    try (Engine engine = Engine.connect(daemon.address(), daemon.key())) {
      SharedQueue<String> queue = engine.queue("from-process");
      String marker = "job-" + System.nanoTime();
      EngineProcess p = engine.process(() -> Engine.current().<String>queue("from-process").put(marker)).start();
      assertThat(queue.poll(DaemonFixture.WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(marker);
      assertThat(p.join(DaemonFixture.WAIT)).isTrue();
      assertThat(p.exitCode()).hasValue(0);

      EngineProcess failing = engine.process(() -> {
        throw new ClientOnlyException("the job failed");
      }).start();
      assertThat(failing.join(DaemonFixture.WAIT)).isTrue();
      assertThat(failing.exitCode()).hasValue(1);

      EngineProcess sleeper = engine.process(() -> Thread.sleep(60_000)).start();
      assertThat(sleeper.isAlive()).isTrue();
      sleeper.kill();
      assertThat(sleeper.join(DaemonFixture.WAIT)).isTrue();
      assertThat(sleeper.exitCode()).hasValue(-9);
    }
  }

  @Test
  void aWorkerThatJoinsServesClientsPoolsAndEndsWithTheDaemon() throws Exception {
    DaemonFixture.Daemon daemon = fixture.daemon(dir.resolve("key"), "--workers", "0", "--max-workers", "2");
    DaemonFixture.Child worker = fixture.cli("worker", "--connect", daemon.address(), "--authkey-file", daemon.key().toString(),
        "--code-dir", dir.resolve("remote-code").toString());
    worker.await("jobengine worker: joining");
    daemon.child().await("jobengine daemon: worker " + worker.pid());
    try (Engine engine = Engine.connect(daemon.address(), daemon.key()); Pool pool = engine.pool(1)) {
      long ranIn = pool.apply(() -> ProcessHandle.current().pid());
      assertThat(ranIn).as("the joined worker ran it").isEqualTo(worker.pid());
      assertThat(pool.map((Integer x) -> -x, List.of(1, 2, 3))).containsExactly(-1, -2, -3);
    }
    assertThat(dir.resolve("remote-code")).as("it fetched the client's code into its own cache").isNotEmptyDirectory();
    daemon.process().toHandle().destroy();
    assertThat(worker.process().waitFor(DaemonFixture.WAIT.toSeconds(), TimeUnit.SECONDS)).as("it ends with the daemon").isTrue();
    assertThat(daemon.process().waitFor(DaemonFixture.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(daemon.process().exitValue()).isZero();
    assertThat(worker.process().exitValue()).isZero();
  }

  @Test
  void sigtermLetsRunningTasksFinishThenLeavesNothing() throws Exception {
    DaemonFixture.Daemon daemon = fixture.daemon(dir.resolve("key"), "--workers", "2");
    try (Engine engine = Engine.connect(daemon.address(), daemon.key()); Pool pool = engine.pool(2)) {
      SharedQueue<String> started = engine.queue("started");
      List<AsyncResult<String>> results = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        int n = i;
        results.add(pool.applyAsync(() -> {
          Engine.current().<String>queue("started").put("task " + n);
          Thread.sleep(1500);
          return "done " + n;
        }));
      }
      assertThat(started.take()).startsWith("task");
      assertThat(started.take()).startsWith("task");
      List<Long> workers = daemon.process().descendants().map(ProcessHandle::pid).toList();
      daemon.process().toHandle().destroy(); // SIGTERM
      for (int i = 0; i < 2; i++) {
        assertThat(results.get(i).get(DaemonFixture.WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("done " + i);
      }
      assertThat(daemon.process().waitFor(DaemonFixture.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(daemon.process().exitValue()).isZero();
      assertThat(Processes.await(DaemonFixture.WAIT, () -> workers.stream().allMatch(Processes::isGone)))
          .as("no worker left").isTrue();
      assertThatThrownBy(() -> pool.applyAsync(() -> 1).get(DaemonFixture.WAIT.toSeconds(), TimeUnit.SECONDS))
          .as("the daemon is gone").isInstanceOfAny(IllegalStateException.class, ExecutionException.class);
    }
  }
}

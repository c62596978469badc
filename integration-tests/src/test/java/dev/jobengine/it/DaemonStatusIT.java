package dev.jobengine.it;

import static dev.jobengine.it.MiniJson.array;
import static dev.jobengine.it.MiniJson.object;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.AsyncResult;
import dev.jobengine.Engine;
import dev.jobengine.EngineOptions;
import dev.jobengine.Pool;
import dev.jobengine.SharedEvent;
import dev.jobengine.SharedLock;
import dev.jobengine.SharedQueue;
import dev.jobengine.master.cli.JobEngineCli;
import dev.jobengine.master.internal.EngineImpl;
import dev.jobengine.proto.PoolStatus;
import dev.jobengine.proto.StatusReply;
import dev.jobengine.proto.WorkerStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `jobengine status` against a real daemon process, run as a child JVM as a user would. */
class DaemonStatusIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final List<Process> started = new ArrayList<>();
  private final AtomicInteger runs = new AtomicInteger();

  /** A daemon and the lines it prints. */
  private record Daemon(Process process, LinkedBlockingQueue<String> lines) {
    String address() throws InterruptedException {
      String prefix = "jobengine daemon listening on ";
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        String line = lines.poll(1, TimeUnit.SECONDS);
        if (line != null && line.startsWith(prefix)) {
          return line.substring(prefix.length()).split(" ")[0];
        }
      }
      throw new AssertionError("the daemon did not say where it listens within " + WAIT);
    }
  }

  /** A finished `jobengine status`: its exit status, stdout and stderr. */
  private record Run(int exit, String out, String err) {}

  private List<String> java(String... args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
        JobEngineCli.class.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private Daemon daemon(Path key, int workers) throws IOException {
    Process p = new ProcessBuilder(java("daemon", "--listen", "127.0.0.1:0", "--authkey-file", key.toString(),
        "--workers", Integer.toString(workers))).redirectErrorStream(true).start();
    started.add(p);
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Processes.readLines(p, lines, "daemon-output");
    return new Daemon(p, lines);
  }

  /** Runs `jobengine status ARGS` to its end (within a bound). */
  private Run status(String... args) throws Exception {
    int n = runs.incrementAndGet();
    Path out = dir.resolve("status-" + n + ".out");
    Path err = dir.resolve("status-" + n + ".err");
    List<String> cmd = new ArrayList<>(List.of("status"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(java(cmd.toArray(String[]::new)))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    started.add(p);
    if (!p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("jobengine status did not end within " + WAIT);
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @AfterEach
  void endWhatWasStarted() throws InterruptedException {
    for (Process p : started) {
      if (p.isAlive()) {
        p.toHandle().destroy(); // SIGTERM: a daemon ends its workers, then exits
        if (!p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      }
    }
  }

  @Test
  void statusShowsTheWorkersTheClientAndItsObjects() throws Exception {
    Path key = dir.resolve("key");
    Daemon daemon = daemon(key, 2);
    String address = daemon.address();
    try (Engine client = Engine.connect(address, key)) {
      SharedQueue<String> queue = client.queue("status-queue");
      queue.put("one");
      queue.put("two");
      queue.put("three");
      SharedLock lock = client.lock("status-lock");
      assertThat(lock.acquire(Duration.ZERO)).isTrue();
      client.event("status-event");

      // the warm workers start in the background: ask until both are connected
      AtomicReference<Run> last = new AtomicReference<>();
      boolean connected = Processes.await(WAIT, () -> {
        try {
          last.set(status("--connect", address, "--authkey-file", key.toString(), "--json"));
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        return last.get().exit() == 0 && last.get().out().split("\"state\": \"connected\"", -1).length == 3;
      });
      assertThat(connected).as("two connected workers; the last answer: %s", last.get()).isTrue();
      Run json = last.get();
      assertThat(json.err()).isEmpty();
      Map<String, Object> root = object(MiniJson.parse(json.out()));
      assertThat(root).containsOnlyKeys("workers", "pools", "clients", "objects");

      List<Object> workers = array(root.get("workers"));
      Set<Long> daemonChildren = daemon.process().children().map(ProcessHandle::pid).collect(Collectors.toSet());
      assertThat(workers).hasSize(2);
      assertThat(workers.stream().map(w -> (Long) object(w).get("pid")).collect(Collectors.toSet()))
          .as("the daemon's children").isEqualTo(daemonChildren);
      for (Object w : workers) {
        assertThat(object(w)).containsEntry("host", "local").containsEntry("serves", "idle")
            .containsEntry("tasks_done", 0L);
        assertThat(object(w).get("rss_bytes")).isInstanceOf(Long.class);
        assertThat((Long) object(w).get("rss_bytes")).isPositive();
      }
      assertThat(array(root.get("pools"))).isEmpty();

      List<Object> clients = array(root.get("clients"));
      assertThat(clients).as("this test's client only: status itself opens no session").hasSize(1);
      Map<String, Object> me = object(clients.get(0));
      long session = (Long) me.get("session");
      assertThat((String) me.get("remote_address")).startsWith("127.0.0.1:");
      assertThat(array(me.get("holds"))).contains("lock 'status-lock'");

      Map<String, Map<String, Object>> objects = array(root.get("objects")).stream()
          .map(MiniJson::object).collect(Collectors.toMap(o -> (String) o.get("name"), o -> o));
      assertThat(objects).containsOnlyKeys("status-queue", "status-lock", "status-event");
      assertThat(objects.get("status-queue")).containsEntry("kind", "queue").containsEntry("items", 3L);
      assertThat(objects.get("status-lock")).containsEntry("kind", "lock")
          .containsEntry("holders", List.of(Map.of("session", session, "count", 1L)));
      assertThat(objects.get("status-event")).containsEntry("kind", "event")
          .containsEntry("counts", Map.of("set", 0L));

      Run table = status("--connect", address, "--authkey-file", key.toString());
      assertThat(table.exit()).as(table.err()).isZero();
      assertThat(table.err()).isEmpty();
      List<String> lines = table.out().lines().toList();
      assertThat(lines).contains("WORKERS (2)", "POOLS (0)", "CLIENTS (1)", "OBJECTS (3)");
      for (long pid : daemonChildren) {
        assertThat(lines).anyMatch(l -> l.startsWith("worker-") && l.contains(" " + pid + " ") && l.contains(" idle "));
      }
      assertThat(lines).anyMatch(l -> l.contains(Long.toString(session)) && l.contains("127.0.0.1:")
          && l.endsWith("lock 'status-lock'"));
      assertThat(lines).anyMatch(l -> l.contains(" queue ") && l.contains("status-queue") && l.contains(" 3 "));
      assertThat(lines).anyMatch(l -> l.contains(" lock ") && l.contains("status-lock") && l.contains(Long.toString(session)));
      assertThat(lines).anyMatch(l -> l.contains(" event ") && l.contains("status-event") && l.endsWith("set=0"));
      lock.release();
    }
    List<String> said = new ArrayList<>();
    daemon.lines().drainTo(said);
    assertThat(said).as("the daemon has nothing to say about status calls")
        .noneMatch(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("Exception"));
  }

  @Test
  void aClientsPoolShowsWithItsClientAndItsWorkersServeIt() throws Exception {
    Path key = dir.resolve("key");
    String address = daemon(key, 2).address();
    try (Engine client = Engine.connect(address, key); Pool pool = client.pool(2)) {
      for (int i = 0; i < 6; i++) {
        assertThat(pool.apply(() -> 1)).isEqualTo(1);
      }
      Run json = status("--connect", address, "--authkey-file", key.toString(), "--json");
      assertThat(json.exit()).as(json.err()).isZero();
      Map<String, Object> root = object(MiniJson.parse(json.out()));
      List<Object> pools = array(root.get("pools"));
      assertThat(pools).hasSize(1);
      Map<String, Object> p = object(pools.get(0));
      long session = (Long) object(array(root.get("clients")).get(0)).get("session");
      assertThat(p).containsEntry("client_session", session).containsEntry("size", 2L).containsEntry("done", 6L)
          .containsEntry("state", "RUNNING");
      List<Map<String, Object>> serving = array(root.get("workers")).stream().map(MiniJson::object)
          .filter(w -> p.get("name").equals(w.get("serves"))).toList();
      assertThat(serving).as("both leased workers serve the client's pool").hasSize(2)
          .allSatisfy(w -> assertThat(w).containsEntry("client_session", session));
    }
  }

  @Test
  void aWrongKeyNoDaemonAndASilentPortEachFailWithStatusOneAndOneLine() throws Exception {
    Path key = dir.resolve("key");
    String address = daemon(key, 0).address();
    Path wrong = dir.resolve("wrong-key");
    Files.writeString(wrong, "not the key\n");
    Run refused = status("--connect", address, "--authkey-file", wrong.toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err()).isEqualTo("jobengine status: the daemon at " + address + " refused the key in " + wrong
        + " (wrong authkey)\n");

    int freePort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      freePort = s.getLocalPort();
    }
    Run nobody = status("--connect", "127.0.0.1:" + freePort, "--authkey-file", key.toString());
    assertThat(nobody.exit()).isEqualTo(1);
    assertThat(nobody.err()).startsWith("jobengine status: no daemon answers at 127.0.0.1:" + freePort)
        .contains("connection refused").hasLineCount(1);

    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Run timedOut = status("--connect", "127.0.0.1:" + silent.getLocalPort(), "--authkey-file", key.toString(),
          "--timeout", "1");
      assertThat(timedOut.exit()).isEqualTo(1);
      assertThat(timedOut.err()).startsWith("jobengine status: no answer from 127.0.0.1:" + silent.getLocalPort()
          + " within 1 s").hasLineCount(1);
    }

    Run noKey = status("--connect", address, "--authkey-file", dir.resolve("missing").toString());
    assertThat(noKey.exit()).isEqualTo(1);
    assertThat(noKey.err()).contains("does not exist").hasLineCount(1);
  }

  @Test
  void aPoolShowsItsTasksAndItsWorkersServeIt() throws Exception {
    try (EngineImpl engine = EngineImpl.start(EngineOptions.defaults()); Pool pool = engine.pool(2)) {
      List<AsyncResult<Integer>> done = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        int x = i;
        done.add(pool.applyAsync(() -> x * x));
      }
      for (AsyncResult<Integer> r : done) {
        r.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      SharedEvent go = engine.event("go");
      AsyncResult<Boolean> blocked = pool.applyAsync(() -> go.await(WAIT));
      assertThat(Processes.await(WAIT, () -> engine.status().getPools(0).getRunning() == 1)).isTrue();

      StatusReply reply = engine.status();
      PoolStatus p = reply.getPools(0);
      assertThat(p.getState()).isEqualTo("RUNNING");
      assertThat(p.getSize()).isEqualTo(2);
      assertThat(p.getWorkers()).isEqualTo(2);
      assertThat(p.getQueued()).isZero();
      assertThat(p.getDone()).isEqualTo(10);
      assertThat(reply.getWorkersList()).hasSize(2).allMatch(w -> w.getServes().equals(p.getName()));
      assertThat(reply.getWorkersList().stream().mapToLong(WorkerStatus::getTasksDone).sum()).isEqualTo(10);
      assertThat(reply.getWorkersList()).extracting(WorkerStatus::getTasksRunning).containsExactlyInAnyOrder(0, 1);
      assertThat(reply.getWorkersList()).extracting(WorkerStatus::getPid)
          .containsExactlyInAnyOrderElementsOf(pool.workerPids());
      go.set();
      assertThat(blocked.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
  }
}

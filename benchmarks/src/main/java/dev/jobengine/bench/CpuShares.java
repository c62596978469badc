package dev.jobengine.bench;

import dev.jobengine.Engine;
import dev.jobengine.Pool;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * X3, not in the Python peer: where the CPU of W2's first (cold) round goes, from the threads'
 * times in /proc (Linux): the master's and one worker's, and the share of each spent in the JIT
 * compiler threads. What bounds the cold rate on a small machine.
 */
final class CpuShares {
  private static final int TASKS = 20_000;

  private final Bench out;

  CpuShares(Bench out) {
    this.out = out;
  }

  void x3() throws Exception {
    try (Engine engine = Engine.start(Bench.engineOptions()); Pool pool = engine.pool(Bench.poolOptions(2))) {
      Bench.warm(pool);
      long master = ProcessHandle.current().pid();
      long worker = pool.workerPids().get(0);
      Map<String, Long> m0 = threads(master);
      Map<String, Long> w0 = threads(worker);
      Bench.applyRound(pool, TASKS);
      report("master", m0, threads(master));
      report("worker", w0, threads(worker));
    }
  }

  private void report(String who, Map<String, Long> before, Map<String, Long> after) {
    long total = 0;
    long jit = 0;
    StringBuilder top = new StringBuilder();
    for (Map.Entry<String, Long> e : after.entrySet()) {
      long ms = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      total += ms;
      if (e.getKey().contains("CompilerThre")) {
        jit += ms;
      }
      if (ms >= 20) {
        top.append(top.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(ms).append(" ms");
      }
    }
    out.add("X3", who + "_cpu_first_round", total, "ms", String.format(
        "CPU of the %s's threads during W2's first round of %d tasks: %s", who, TASKS, top));
    out.add("X3", who + "_jit_share", total == 0 ? 0 : 100.0 * jit / total, "%",
        "of that CPU, in the C1/C2 compiler threads");
  }

  /** CPU time in ms of each thread group of process {@code pid} (names with trailing digits folded). */
  private static Map<String, Long> threads(long pid) throws IOException {
    Map<String, Long> byName = new TreeMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : tasks) {
        try {
          String name = Files.readString(t.resolve("comm")).trim().replaceAll("[0-9]+$", "#");
          String stat = Files.readString(t.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          byName.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / 100, Long::sum); // USER_HZ 100
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    }
    return byName;
  }
}

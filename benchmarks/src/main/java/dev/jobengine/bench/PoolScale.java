package dev.jobengine.bench;

import dev.jobengine.Engine;
import dev.jobengine.Pool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * How the pool scales with its number of workers, and what its workers cost at rest: W2's
 * throughput with 1 to 16 workers, the start of a pool of 16, and the memory of an idle worker.
 */
final class PoolScale {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int TASKS = 20_000;

  private final Bench out;

  PoolScale(Bench out) {
    this.out = out;
  }

  /**
   * S1: W2 (20,000 applyAsync(f(i), callback)) on warmed pools of 1, 2, 4, 8 and 16 workers
   * ({@code -Dbench.s1.sizes}): the first round (cold JIT), then the median of 5 after the JIT
   * warm-up ({@link Bench#warmUp}).
   */
  void s1() throws Exception {
    String sizes = System.getProperty("bench.s1.sizes", "1,2,4,8,16");
    for (String s : sizes.split(",")) {
      int n = Integer.parseInt(s.trim());
      try (Engine engine = Engine.start(Bench.engineOptions()); Pool pool = engine.pool(Bench.poolOptions(n))) {
        Bench.warm(pool);
        double first = Bench.applyRound(pool, TASKS);
        out.add("S1", "apply_async_first_w" + n, first, "tasks/s", String.format(
            "Pool(%d); %d tasks; first round (cold JIT); %d CPUs", n, TASKS, Runtime.getRuntime().availableProcessors()));
        int rounds = Bench.warmUp(() -> Bench.applyRound(pool, TASKS));
        List<Double> rates = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
          rates.add(Bench.applyRound(pool, TASKS));
        }
        out.add("S1", "apply_async_w" + n, Bench.median(rates), "tasks/s", String.format(
            "Pool(%d); median of 5 rounds of %d (min %.0f, max %.0f) after %d untimed rounds (JIT warm-up)",
            n, TASKS, Collections.min(rates), Collections.max(rates), rounds));
      }
    }
  }

  /**
   * S2: engine.pool(16) until the first f(1) result, and until all 16 workers are connected;
   * median of 3 pools ({@code -Dbench.s2.runs}, {@code -Dbench.s2.workers}) after one not counted
   * (the first pool of the master JVM).
   */
  void s2() throws Exception {
    int workers = Integer.getInteger("bench.s2.workers", 16);
    int runs = Integer.getInteger("bench.s2.runs", 3);
    List<Double> firsts = new ArrayList<>();
    List<Double> alls = new ArrayList<>();
    try (Engine engine = Engine.start(Bench.engineOptions())) {
      for (int i = 0; i <= runs; i++) {
        long t0 = System.nanoTime();
        Pool pool = engine.pool(Bench.poolOptions(workers));
        pool.applyAsync(() -> Bench.inc(1)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        double first = (System.nanoTime() - t0) / 1e6;
        long deadline = t0 + WAIT.toNanos();
        while (pool.workerPids().size() < workers) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("only " + pool.workerPids().size() + "/" + workers + " workers connected");
          }
          Thread.sleep(5);
        }
        double all = (System.nanoTime() - t0) / 1e6;
        if (i > 0) {
          firsts.add(first);
          alls.add(all);
        }
        pool.terminate();
        pool.join(WAIT);
      }
    }
    out.add("S2", "first_result_w" + workers, Bench.median(firsts), "ms", String.format(
        "engine.pool(%d) -> first f(1) result; median of %d %s; %d CPUs", workers, runs, list(firsts),
        Runtime.getRuntime().availableProcessors()));
    out.add("S2", "all_connected_w" + workers, Bench.median(alls), "ms", String.format(
        "engine.pool(%d) -> all %d workers connected; median of %d %s", workers, workers, runs, list(alls)));
  }

  /**
   * S3: the resident memory of the workers of a warmed Pool(2) after W2 (a first round, the JIT
   * warm-up and 5 rounds), at once and after {@code -Dbench.s3.idleMillis} (3000) without tasks;
   * and the master's. With the default worker JVM options, then with {@link
   * dev.jobengine.PoolOptions#SMALL_FOOTPRINT_JVM_OPTIONS} (metrics ending {@code _small}).
   */
  void s3() throws Exception {
    s3("", Bench.poolOptions(2));
    s3("_small", dev.jobengine.PoolOptions.builder().workers(2)
        .jvmOptions(dev.jobengine.PoolOptions.SMALL_FOOTPRINT_JVM_OPTIONS).build());
  }

  private void s3(String suffix, dev.jobengine.PoolOptions options) throws Exception {
    long idle = Long.getLong("bench.s3.idleMillis", 3000);
    try (Engine engine = Engine.start(Bench.engineOptions()); Pool pool = engine.pool(options)) {
      Bench.warm(pool);
      Bench.applyRound(pool, TASKS);
      int rounds = Bench.warmUp(() -> Bench.applyRound(pool, TASKS));
      for (int round = 0; round < 5; round++) {
        Bench.applyRound(pool, TASKS);
      }
      List<Long> pids = pool.workerPids();
      List<Long> busy = pids.stream().map(pid -> status(pid, "VmRSS")).toList();
      System.err.println("# S3: workers " + pids + " idle for " + idle + " ms");
      Thread.sleep(idle);
      List<Long> rest = pids.stream().map(pid -> status(pid, "VmRSS")).toList();
      List<Long> pss = pids.stream().map(pid -> rollup(pid, "Pss")).toList();
      List<Long> own = pids.stream().map(pid -> rollup(pid, "Private_Clean") + rollup(pid, "Private_Dirty")).toList();
      List<Long> threads = pids.stream().map(pid -> status(pid, "Threads")).toList();
      out.add("S3", "idle_worker_rss" + suffix, Collections.max(rest) / 1024.0, "MiB", String.format(
          "VmRSS of the larger of Pool(2)'s workers %d ms after W2 (%d rounds of %d); each: %s KiB idle, %s KiB at once; threads %s",
          idle, rounds + 6, TASKS, rest, busy, threads));
      out.add("S3", "idle_worker_private" + suffix, Collections.max(own) / 1024.0, "MiB", String.format(
          "the same worker's own pages (Private_Clean + Private_Dirty of smaps_rollup: what it alone costs); each %s KiB;"
              + " Pss %s KiB", own, pss));
      out.add("S3", "master_rss" + suffix, status(ProcessHandle.current().pid(), "VmRSS") / 1024.0, "MiB",
          "this JVM with the engine and Pool(2) open, after the workers' run");
    }
  }

  /** A number of /proc/PID/smaps_rollup in KiB (Linux 4.14+); -1 if it cannot be read. */
  static long rollup(long pid, String field) {
    return field(Path.of("/proc", Long.toString(pid), "smaps_rollup"), field);
  }

  /** A number of /proc/PID/status (VmRSS in KiB, Threads); -1 if it cannot be read. */
  static long status(long pid, String field) {
    return field(Path.of("/proc", Long.toString(pid), "status"), field);
  }

  private static long field(Path file, String field) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or the process is gone
    }
    return -1;
  }

  private static String list(List<Double> xs) {
    return xs.stream().map(x -> String.format("%.0f", x)).collect(Collectors.joining(", ", "[", "]"));
  }
}

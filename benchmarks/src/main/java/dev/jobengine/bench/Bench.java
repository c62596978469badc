package dev.jobengine.bench;

import dev.jobengine.AsyncResult;
import dev.jobengine.Engine;
import dev.jobengine.EngineOptions;
import dev.jobengine.Fn;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.Task;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The workloads of the Python peer ({@code benchmarks/python/python_mp_peer.py}), through the public API, printing the same
 * tab-separated lines: {@code workload metric value unit note}.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar [--only W1,W2] [--json FILE]</pre>
 *
 * <p>S1-S3 ({@link PoolScale}) and S6-S9 ({@link SharedObjectScale}) have no Python peer:
 * throughput by pool size, the start of a pool of 16, the memory of an idle worker; queues by
 * producers and consumers, a queue of 1,000,000 items, the master's memory per waiter, and 100
 * waiters on one event.
 */
public final class Bench {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final List<String[]> rows = new ArrayList<>();
  private final PrintStream out = System.out;

  public static void main(String[] args) throws Exception {
    Set<String> only = null;
    Path json = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--only" -> only = Set.of(args[++i].split(","));
        case "--json" -> json = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("usage: [--only W1,W2] [--json FILE]");
      }
    }
    Bench b = new Bench();
    System.err.printf("# jobengine benchmarks on Java %s (%s), %d CPUs%n",
        Runtime.version(), System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors());
    if (only == null || only.contains("W1")) {
      b.w1();
    }
    if (only == null || only.contains("W2")) {
      b.w2();
    }
    PoolWorkloads pools = new PoolWorkloads(b);
    SharedObjectWorkloads shared = new SharedObjectWorkloads(b);
    FaultScenarios faults = new FaultScenarios(b);
    PoolScale poolScale = new PoolScale(b);
    SharedObjectScale sharedScale = new SharedObjectScale(b);
    for (String w : List.of("W3", "W4", "W5", "W6", "W7", "W8", "W9", "W10", "W11", "X1", "X2", "X3", "F1", "F3", "F4", "F5", "F6",
        "S1", "S2", "S3", "S6", "S7", "S8", "S9")) {
      if (only == null || only.contains(w)) {
        switch (w) {
          case "W3" -> pools.w3();
          case "W4" -> pools.w4();
          case "W5" -> pools.w5();
          case "W6" -> shared.w6();
          case "W7" -> shared.w7();
          case "W8" -> shared.w8();
          case "W9" -> shared.w9();
          case "W10" -> shared.w10();
          case "X1" -> shared.objectCall();
          case "X2" -> pools.mapChunksizeOne();
          case "X3" -> new CpuShares(b).x3();
          case "S6" -> sharedScale.s6();
          case "S7" -> sharedScale.s7();
          case "S8" -> sharedScale.s8();
          case "S9" -> sharedScale.s9();
          case "F1" -> faults.f1();
          case "F3" -> faults.f3();
          case "F4" -> faults.f4();
          case "F5" -> faults.f5();
          case "F6" -> faults.f6();
          case "S1" -> poolScale.s1();
          case "S2" -> poolScale.s2();
          case "S3" -> poolScale.s3();
          default -> pools.w11();
        }
      }
    }
    if (json != null) {
      b.writeJson(json);
    }
    System.exit(0);
  }

  static int inc(int x) {
    return x + 1;
  }

  /**
   * W1: Pool(2) construction until the first f(1) result; median of 5. Then the same with 2
   * standby workers ({@link EngineOptions#standbyWorkers()}), pausing {@code
   * -Dbench.w1.pauseMillis} (1500) after each pool so that the replacements are ready, as they
   * would be for a program that starts pools less often than that.
   */
  void w1() throws Exception {
    w1("startup", engineOptions(0), 0, "");
    long pause = Long.getLong("bench.w1.pauseMillis", 1500);
    w1("startup_standby", engineOptions(2), pause,
        "; engine with standbyWorkers(2), " + pause + " ms pause before each pool");
  }

  private void w1(String metric, EngineOptions options, long pauseMillis, String how) throws Exception {
    List<Double> cold = new ArrayList<>();
    List<Double> warm = new ArrayList<>();
    try (Engine engine = Engine.start(options)) {
      for (int i = 0; i < 6; i++) {
        Thread.sleep(pauseMillis);
        long t0 = System.nanoTime();
        Pool pool = engine.pool(poolOptions(2));
        pool.applyAsync(() -> inc(1)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        double ms = (System.nanoTime() - t0) / 1e6;
        (i == 0 ? cold : warm).add(ms);
        pool.terminate();
        pool.join(WAIT);
      }
    }
    add("W1", metric, median(warm), "ms", String.format(
        "median of 5 (min %.1f, max %.1f); engine.pool(2) -> first f(1) result; first pool of the JVM (not counted) %.1f ms%s",
        Collections.min(warm), Collections.max(warm), cold.get(0), how));
  }

  /**
   * W2: warmed Pool(2); 20,000 applyAsync(f(i), callback); first submit to the last callback. The
   * first round (cold JIT) is reported apart; after the JIT warm-up ({@link #warmUp}), the median
   * of 5.
   */
  void w2() throws Exception {
    int n = 20_000;
    int timed = 5;
    try (Engine engine = Engine.start(Bench.engineOptions()); Pool pool = engine.pool(poolOptions(2))) {
      warm(pool);
      double first = applyRound(pool, n);
      add("W2", "pool_apply_async_first", first, "tasks/s", String.format(
          "%d tasks; results verified; first round in this JVM and its workers (cold JIT)", n));
      int rounds = warmUp(() -> applyRound(pool, n));
      List<Double> rates = new ArrayList<>();
      for (int round = 0; round < timed; round++) {
        rates.add(applyRound(pool, n));
      }
      add("W2", "pool_apply_async", median(rates), "tasks/s", String.format(
          "median of %d rounds of %d (min %.0f, max %.0f tasks/s) after %d untimed rounds (JIT warm-up); results verified",
          timed, n, Collections.min(rates), Collections.max(rates), rounds));
    }
  }

  /** One round of W2: n applyAsync with a callback; tasks/s from the first submit to the last callback. */
  static double applyRound(Pool pool, int n) throws Exception {
    CountDownLatch done = new CountDownLatch(n);
    AtomicLong sum = new AtomicLong();
    AtomicLong lastAt = new AtomicLong();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      int x = i;
      pool.applyAsync(() -> inc(x), v -> {
        sum.addAndGet(v);
        lastAt.set(System.nanoTime());
        done.countDown();
      }, e -> done.countDown());
    }
    if (!done.await(2 * WAIT.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException("only " + (n - done.getCount()) + "/" + n + " callbacks arrived");
    }
    if (sum.get() != (long) n * (n + 1) / 2) {
      throw new IllegalStateException("wrong results: sum " + sum.get());
    }
    return n / ((lastAt.get() - t0) / 1e9);
  }

  /** One untimed round of a workload's warm-up. */
  interface Round {
    void run() throws Exception;
  }

  /**
   * JIT warm-up, as JMH does it, by time: runs {@code round} until {@code -Dbench.warmupSeconds}
   * (10) have passed; returns how many rounds ran. On 2 cores a worker JVM's JIT takes seconds to
   * compile the codec and transport paths (W2 gives about 50k tasks/s after 3 rounds, 110k after
   * 10 and 225k after 40).
   */
  static int warmUp(Round round) throws Exception {
    long until = System.nanoTime() + (long) (Double.parseDouble(System.getProperty("bench.warmupSeconds", "10")) * 1e9);
    int rounds = 0;
    do {
      round.run();
      rounds++;
    } while (System.nanoTime() < until);
    return rounds;
  }

  /**
   * The engine options of every workload but W1's: the defaults, with {@code -Dbench.standby} (0)
   * standby workers for W6-W10's processes and {@code -Dbench.transport} (AUTO: a Unix domain
   * socket here; TCP to compare).
   */
  static EngineOptions engineOptions() {
    return engineOptions(Integer.getInteger("bench.standby", 0));
  }

  static EngineOptions engineOptions(int standby) {
    return EngineOptions.builder()
        .standbyWorkers(standby)
        .transport(EngineOptions.Transport.valueOf(System.getProperty("bench.transport", "AUTO")))
        .build();
  }

  /**
   * A pool of {@code n}; {@code -Dbench.prefetch=N} overrides the prefetch and {@code
   * -Dbench.workerJvm="..."} adds worker JVM options (to measure those levers).
   */
  static PoolOptions poolOptions(int n) {
    PoolOptions.Builder b = PoolOptions.builder().workers(n);
    Integer prefetch = Integer.getInteger("bench.prefetch");
    if (prefetch != null) {
      b.prefetch(prefetch);
    }
    String jvm = System.getProperty("bench.workerJvm");
    if (jvm != null) {
      List<String> options = new ArrayList<>(PoolOptions.DEFAULT_JVM_OPTIONS);
      options.addAll(List.of(jvm.trim().split("\\s+")));
      b.jvmOptions(options);
    }
    return b.build();
  }

  static void warm(Pool pool) throws Exception {
    Fn<Integer, Integer> noop = x -> x;
    pool.mapAsync(noop, IntStream.range(0, 8).boxed().toList(), 1).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int m = s.size() / 2;
    return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
  }

  void add(String workload, String metric, double value, String unit, String note) {
    String v = Math.abs(value) >= 1000 ? String.format("%.0f", value)
        : Math.abs(value) >= 100 ? String.format("%.1f", value)
        : Math.abs(value) >= 10 ? String.format("%.2f", value) : String.format("%.3f", value);
    String[] row = {workload, metric, v, unit, note};
    rows.add(row);
    out.println(String.join("\t", row));
    out.flush();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** A fault scenario's outcome: a description rather than a number. */
  void addOutcome(String scenario, String metric, String value, String note) {
    String[] row = {scenario, metric, value, "outcome", note};
    rows.add(row);
    out.println(String.join("\t", row));
    out.flush();
  }

  private void writeJson(Path file) throws IOException {
    String body = rows.stream()
        .map(r -> String.format("  {\"workload\": \"%s\", \"metric\": \"%s\", \"value\": %s, \"unit\": \"%s\", \"note\": %s}",
            r[0], r[1], r[3].equals("outcome") ? quote(r[2]) : r[2], r[3], quote(r[4])))
        .collect(Collectors.joining(",\n"));
    Files.writeString(file, "{\"results\": [\n" + body + "\n]}\n");
  }

}

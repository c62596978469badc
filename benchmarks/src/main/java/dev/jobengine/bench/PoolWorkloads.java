package dev.jobengine.bench;

import dev.jobengine.Engine;
import dev.jobengine.Fn;
import dev.jobengine.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/** W3, W4, W5 and W11 of the Python peer: map, round trip, payloads, CPU scaling. */
final class PoolWorkloads {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int MIB = 1 << 20;

  private final Bench out;

  PoolWorkloads(Bench out) {
    this.out = out;
  }

  /**
   * W3: warmed Pool(2); map(f, 0..199,999) with the default chunk size (25,000, 8 chunks). The
   * first map (cold JIT) is reported apart; after the JIT warm-up, the median of 5.
   */
  void w3() throws Exception {
    try (Engine engine = Engine.start(Bench.engineOptions()); Pool pool = engine.pool(Bench.poolOptions(2))) {
      Bench.warm(pool);
      Fn<Integer, Integer> inc = Bench::inc;
      int n = 200_000;
      mapRounds("W3", "pool_map", n, "default chunksize " + (n + 7) / 8, items -> pool.map(inc, items));
    }
  }

  /** One map of the items 0..n-1, returning the results. */
  private interface MapCall {
    List<Integer> run(List<Integer> items) throws Exception;
  }

  /**
   * Maps 0..n-1 to 1..n: the first map (cold JIT) reported as {@code metric_first}, then, after
   * the JIT warm-up ({@link Bench#warmUp}), the median of 5 as {@code metric}.
   */
  private void mapRounds(String id, String metric, int n, String how, MapCall map) throws Exception {
    List<Integer> items = IntStream.range(0, n).boxed().toList();
    long c0 = System.nanoTime();
    List<Integer> first = map.run(items);
    out.add(id, metric + "_first", n / ((System.nanoTime() - c0) / 1e9), "items/s", String.format(
        "the first map of %d items in this JVM and its workers (cold JIT); %s; results %s",
        n, how, first.size() == n && first.get(n - 1) == n ? "verified" : "WRONG"));
    int warmup = Bench.warmUp(() -> map.run(items));
    List<Double> rates = new ArrayList<>();
    boolean ok = true;
    for (int round = 0; round < 5; round++) {
      long t0 = System.nanoTime();
      List<Integer> res = map.run(items);
      rates.add(n / ((System.nanoTime() - t0) / 1e9));
      ok &= res.size() == n && res.get(0) == 1 && res.get(n - 1) == n;
    }
    out.add(id, metric, Bench.median(rates), "items/s", String.format(
        "median of 5 maps of %d items (min %.0f, max %.0f items/s); %s; results %s; after %d untimed maps (JIT warm-up)",
        n, Collections.min(rates), Collections.max(rates), how, ok ? "verified" : "WRONG", warmup));
  }

  /**
   * W4: warmed Pool(2); 200 untimed, then 5,000 timed sequential apply(f(i)); p50 and p99, reported
   * as {@code _cold} (young JIT). Then the JIT warm-up (rounds of 1,000 untimed calls), and 5,000
   * timed again: the figures without suffix.
   */
  void w4() throws Exception {
    try (Engine engine = Engine.start(Bench.engineOptions()); Pool pool = engine.pool(Bench.poolOptions(2))) {
      Bench.warm(pool);
      roundTrips(pool, 200);
      List<Double> cold = roundTrips(pool, 5_000);
      int warmup = 1_000 * Bench.warmUp(() -> roundTrips(pool, 1_000));
      List<Double> warm = roundTrips(pool, 5_000);
      latencies("_cold", cold, "after 200 untimed calls (young JIT)");
      latencies("", warm, "after " + (200 + 5_000 + warmup) + " untimed calls (JIT warm-up)");
    }
  }

  /** {@code n} sequential apply(f(i)) calls; their round trips in microseconds, sorted. */
  private static List<Double> roundTrips(Pool pool, int n) throws Exception {
    List<Double> us = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int x = i;
      long t0 = System.nanoTime();
      pool.applyAsync(() -> Bench.inc(x)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      us.add((System.nanoTime() - t0) / 1e3);
    }
    Collections.sort(us);
    return us;
  }

  private void latencies(String suffix, List<Double> us, String how) {
    double mean = us.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    out.add("W4", "apply_p50" + suffix, percentile(us, 50), "us",
        String.format("%d sequential calls %s; mean %.1f us, min %.1f us", us.size(), how, mean, us.get(0)));
    out.add("W4", "apply_p99" + suffix, percentile(us, 99), "us", String.format("max %.0f us", us.get(us.size() - 1)));
  }

  /**
   * W5: warmed Pool(2); 16 MiB to the task and back, 10 timed sequential calls each way. The first
   * call each way (cold JIT) is reported apart; the timed calls follow the JIT warm-up.
   */
  void w5() throws Exception {
    int size = 16 * MIB;
    try (Engine engine = Engine.start(Bench.engineOptions()); Pool pool = engine.pool(Bench.poolOptions(2))) {
      Bench.warm(pool);
      byte[] data = new byte[size];
      payloadRounds("send_16MiB", size, () -> pool.apply(() -> data.length) == size);
      payloadRounds("receive_16MiB", size, () -> pool.apply(() -> new byte[size]).length == size);
    }
  }

  /**
   * Calls {@code call} (one payload of {@code size} bytes, true if it arrived whole): the first call
   * reported as {@code metric_first}, then 10 timed calls after the JIT warm-up.
   */
  private void payloadRounds(String metric, int size, Callable<Boolean> call) throws Exception {
    int reps = 10;
    long c0 = System.nanoTime();
    check(call.call());
    double first = (System.nanoTime() - c0) / 1e9;
    out.add("W5", metric + "_first", size / (double) MIB / first, "MiB/s",
        String.format("the first call (cold JIT): %.1f ms", first * 1e3));
    int warmup = Bench.warmUp(call::call);
    long t0 = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      check(call.call());
    }
    double el = (System.nanoTime() - t0) / 1e9;
    out.add("W5", metric, reps * (double) size / MIB / el, "MiB/s", String.format(
        "%d sequential calls; %.1f ms per call; after %d untimed calls (JIT warm-up)", reps, el / reps * 1e3, warmup));
  }

  /**
   * X2: warmed Pool(2); map(f, 0..19,999, chunksize 1), so every item is a task of its own (as
   * Python's imap and map(chunksize=1) send them). The first map is reported apart; after the JIT
   * warm-up, the median of 5.
   */
  void mapChunksizeOne() throws Exception {
    try (Engine engine = Engine.start(Bench.engineOptions()); Pool pool = engine.pool(Bench.poolOptions(2))) {
      Bench.warm(pool);
      Fn<Integer, Integer> inc = Bench::inc;
      mapRounds("X2", "map_chunksize1", 20_000, "chunksize 1", items -> pool.map(inc, items, 1));
    }
  }

  static long cpuTask(long n) {
    long acc = 0;
    for (long i = 0; i < n; i++) {
      acc = (acc * 31 + i) & 0xFFFFFFFFL;
    }
    return acc;
  }

  /**
   * W11: 40 x cpuTask(n), n calibrated to about 25 ms in this JVM; map(chunksize 1) on Pool(1) and
   * Pool(2), the median of 3 maps each. Each pool first maps 5,000 cpuTask(1,000) and then 2
   * cpuTask(n) per worker, untimed, so that the JIT of the master and the workers has compiled the
   * path the timed tasks take; {@code -Dbench.w11.warm=false} measures cold workers.
   */
  void w11() throws Exception {
    int tasks = 40;
    long probe = 2_000_000;
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      cpuTask(probe);
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    long n = Math.max(1_000, Math.round(probe * 0.025 / best));
    boolean warmCpu = Boolean.parseBoolean(System.getProperty("bench.w11.warm", "true"));
    double[] times = new double[3];
    for (int k = 1; k <= 2; k++) {
      try (Engine engine = Engine.start(Bench.engineOptions()); Pool pool = engine.pool(Bench.poolOptions(k))) {
        Bench.warm(pool);
        Fn<Long, Long> task = PoolWorkloads::cpuTask;
        List<Long> ns = Collections.nCopies(tasks, n);
        if (warmCpu) {
          for (int r = 0; r < 5; r++) { // the JIT warm-up of the path these tasks and results take
            pool.map(task, Collections.nCopies(1_000, 1_000L), 1);
          }
          pool.map(task, Collections.nCopies(2 * k, n), 1); // each worker compiles cpuTask before the clock
        }
        List<Double> runs = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
          long t0 = System.nanoTime();
          pool.map(task, ns, 1);
          runs.add((System.nanoTime() - t0) / 1e9);
        }
        times[k] = Bench.median(runs);
      }
    }
    String how = String.format("%d x cpuTask(%d), median of 3", tasks, n);
    out.add("W11", "pool1_time", times[1] * 1e3, "ms", how);
    out.add("W11", "pool2_time", times[2] * 1e3, "ms", how);
    out.add("W11", "speedup", times[1] / times[2], "x", String.format(
        "Pool(1) time / Pool(2) time; %d CPUs; %s",
        Runtime.getRuntime().availableProcessors(), warmCpu
            ? "each pool first ran 5,000 untimed cpuTask(1,000) and 2 untimed cpuTask(n) per worker (JIT warm-up)"
            : "workers start cold (their JIT warms during the run)"));
  }

  static double percentile(List<Double> sorted, double p) {
    return sorted.get(Math.max(0, (int) Math.ceil(p / 100 * sorted.size()) - 1));
  }

  private static void check(boolean ok) {
    if (!ok) {
      throw new IllegalStateException("wrong result");
    }
  }
}

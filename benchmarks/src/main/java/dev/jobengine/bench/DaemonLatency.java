package dev.jobengine.bench;

import dev.jobengine.AsyncResult;
import dev.jobengine.Engine;
import dev.jobengine.Pool;
import dev.jobengine.SharedEvent;
import dev.jobengine.SharedQueue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A client of a daemon beside an embedded engine, through the public API: {@code java -cp
 * benchmarks.jar dev.jobengine.bench.DaemonLatency HOST:PORT KEYFILE} (a connected engine) or
 * {@code ... DaemonLatency embedded} (Engine.start()). Prints, for one run of a fresh JVM: the time
 * to connect (or start), pool(2) to its first result, applyAsync with a callback per second (first
 * 2,000 tasks, then 20,000 more), apply's p50 (first 200, then after 2,000), a second pool's first
 * result, an event's isSet p50 (first 200, then after 5,000) and put+take pairs per second.
 */
public final class DaemonLatency {
  private DaemonLatency() {}

  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    boolean embedded = args.length > 0 && args[0].equals("embedded");
    try (Engine engine = embedded ? Engine.start() : Engine.connect(args[0], Path.of(args[1]))) {
      System.out.printf("%s %.1f ms%n", embedded ? "start" : "connect", ms(t0));
      long p0 = System.nanoTime();
      try (Pool pool = engine.pool(2)) {
        pool.apply(() -> 1);
        System.out.printf("pool(2) to first result %.1f ms%n", ms(p0));
        System.out.printf("applyAsync+callback, first 2,000: %.0f tasks/s%n", throughput(pool, 2_000));
        System.out.printf("applyAsync+callback, next 20,000: %.0f tasks/s%n", throughput(pool, 20_000));
        System.out.printf("apply p50 cold (first 200): %.0f us%n", applyP50(pool, 200));
        applyP50(pool, 2_000);
        System.out.printf("apply p50 warm: %.0f us%n", applyP50(pool, 2_000));
      }
      long s0 = System.nanoTime();
      try (Pool second = engine.pool(2)) {
        second.apply(() -> 2);
        System.out.printf("second pool(2) to first result %.1f ms%n", ms(s0));
      }
      SharedEvent event = engine.event("latency");
      System.out.printf("isSet p50 cold (first 200): %.1f us%n", p50(event, 200));
      p50(event, 5000);
      System.out.printf("isSet p50 warm: %.1f us%n", p50(event, 5000));
      SharedQueue<Integer> q = engine.queue("latency-q");
      int n = 20_000;
      long t = System.nanoTime();
      for (int i = 0; i < n; i++) {
        q.put(i);
        q.take();
      }
      System.out.printf("put+take pairs: %.0f /s%n", n / ((System.nanoTime() - t) / 1e9));
    }
    System.out.printf("total %.1f ms%n", ms(t0));
  }

  private static double ms(long since) {
    return (System.nanoTime() - since) / 1e6;
  }

  private static double throughput(Pool pool, int n) throws Exception {
    CountDownLatch done = new CountDownLatch(n);
    List<AsyncResult<Integer>> results = new ArrayList<>(n);
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      int x = i;
      results.add(pool.applyAsync(() -> x * 2, r -> done.countDown()));
    }
    if (!done.await(5, TimeUnit.MINUTES)) {
      throw new IllegalStateException("tasks did not finish");
    }
    return n / ((System.nanoTime() - t) / 1e9);
  }

  private static double applyP50(Pool pool, int n) throws Exception {
    long[] times = new long[n];
    for (int i = 0; i < n; i++) {
      int x = i;
      long s = System.nanoTime();
      pool.apply(() -> x + 1);
      times[i] = System.nanoTime() - s;
    }
    Arrays.sort(times);
    return times[n / 2] / 1e3;
  }

  private static double p50(SharedEvent event, int n) {
    long[] times = new long[n];
    for (int i = 0; i < n; i++) {
      long s = System.nanoTime();
      event.isSet();
      times[i] = System.nanoTime() - s;
    }
    Arrays.sort(times);
    return times[n / 2] / 1e3;
  }
}

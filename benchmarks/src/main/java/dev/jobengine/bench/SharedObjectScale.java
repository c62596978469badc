package dev.jobengine.bench;

import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.SharedEvent;
import dev.jobengine.SharedMap;
import dev.jobengine.SharedQueue;
import dev.jobengine.SharedSemaphore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Not in the Python peer: how the shared queues and events scale (S6-S9). */
final class SharedObjectScale {
  private static final Duration WAIT = Duration.ofSeconds(300);

  private final Bench out;

  SharedObjectScale(Bench out) {
    this.out = out;
  }

  /** S6: W6 with 1, 2, 4 and 8 producer processes and as many consumers; 100,000 items in all. */
  void s6() throws Exception {
    int n = 100_000;
    for (int procs : new int[] {1, 2, 4, 8}) {
      try (Engine engine = Engine.start(Bench.engineOptions())) {
        int per = n / procs;
        SharedQueue<Integer> q = engine.queue("s6");
        SharedSemaphore ready = engine.semaphore("s6-ready", 0);
        SharedMap<Integer, Long> ends = engine.map("s6-ends");
        SharedMap<Integer, Long> sums = engine.map("s6-sums");
        List<EngineProcess> ps = new ArrayList<>();
        for (int c = 0; c < procs; c++) {
          int idx = c;
          ps.add(engine.process(() -> {
            q.size();
            ready.release();
            long sum = 0;
            for (int i = 0; i < per; i++) {
              sum += q.take();
            }
            ends.put(idx, System.nanoTime());
            sums.put(idx, sum);
          }).start());
        }
        for (int c = 0; c < procs; c++) {
          check(ready.tryAcquire(WAIT), "consumers ready");
        }
        long[] wire0 = SharedObjectWorkloads.wireCounts();
        long t0 = System.nanoTime();
        for (int p = 0; p < procs; p++) {
          ps.add(engine.process(() -> {
            for (int i = 0; i < per; i++) {
              q.put(i);
            }
          }).start());
        }
        join(ps);
        long[] wire = SharedObjectWorkloads.wireCounts();
        double el = (ends.values().stream().mapToLong(Long::longValue).max().orElseThrow() - t0) / 1e9;
        long sum = sums.values().stream().mapToLong(Long::longValue).sum();
        boolean ok = sum == (long) procs * per * (per - 1) / 2;
        out.add("S6", "queue_" + procs + "x" + procs, procs * per / el, "items/s", String.format(
            "%d producer and %d consumer processes, %d items in %.0f ms (includes the producers' JVM start); checksum %s; per 1000 items: %s",
            procs, procs, procs * per, el * 1e3, ok ? "ok" : "WRONG", SharedObjectWorkloads.perThousand(wire0, wire, (long) procs * per)));
      }
    }
  }

  /**
   * S7: a worker puts 1,000,000 ints into a queue, then (once it has exited) another takes them
   * all; the rate of each phase and the master's memory per 1,000 queued items (heap after a GC,
   * and VmRSS).
   */
  void s7() throws Exception {
    int n = 1_000_000;
    try (Engine engine = Engine.start(Bench.engineOptions())) {
      SharedQueue<Integer> q = engine.queue("s7");
      SharedMap<String, Long> times = engine.map("s7-times");
      q.size();
      long heap0 = heapAfterGc();
      long rss0 = rss();
      long t0 = System.nanoTime();
      EngineProcess producer = engine.process(() -> {
        times.put("pstart", System.nanoTime());
        for (int i = 0; i < n; i++) {
          q.put(i);
        }
        times.put("pend", System.nanoTime());
      }).start();
      join(List.of(producer));
      check(q.size() == n, "all queued");
      long heap1 = heapAfterGc();
      long rss1 = rss();
      double put = (times.get("pend") - times.get("pstart")) / 1e9;
      EngineProcess consumer = engine.process(() -> {
        long sum = 0;
        times.put("cstart", System.nanoTime());
        for (int i = 0; i < n; i++) {
          sum += q.take();
        }
        times.put("cend", System.nanoTime());
        times.put("sum", sum);
      }).start();
      join(List.of(consumer));
      double take = (times.get("cend") - times.get("cstart")) / 1e9;
      boolean ok = times.get("sum") == (long) n * (n - 1) / 2;
      out.add("S7", "queue_1m_put", n / put, "items/s", String.format(
          "one worker puts %d ints (first put to last, %.0f ms; %.0f ms from start() to its exit)", n, put * 1e3, (System.nanoTime() - t0) / 1e6));
      out.add("S7", "queue_1m_take", n / take, "items/s", String.format(
          "another worker takes them all (%.0f ms); checksum %s", take * 1e3, ok ? "ok" : "WRONG"));
      out.add("S7", "queue_heap_per_1000", (heap1 - heap0) / (n / 1000.0), "bytes", String.format(
          "master heap used after System.gc(), %d items queued vs empty: %.1f MB -> %.1f MB", n, heap0 / 1e6, heap1 / 1e6));
      out.add("S7", "queue_rss_per_1000", (rss1 - rss0) / (n / 1000.0), "bytes", String.format(
          "master VmRSS, same points: %.1f MB -> %.1f MB (RSS also counts heap the GC keeps)", rss0 / 1e6, rss1 / 1e6));
    }
  }

  /** S8: the master's memory per 1,000 blocked takes: 4 processes of 250 threads each, blocked in take(). */
  void s8() throws Exception {
    int procs = 4;
    int threads = 250;
    try (Engine engine = Engine.start(Bench.engineOptions())) {
      SharedQueue<Integer> q = engine.queue("s8");
      SharedSemaphore started = engine.semaphore("s8-started", 0);
      List<EngineProcess> ps = new ArrayList<>();
      long heap0 = heapAfterGc();
      long rss0 = rss();
      for (int p = 0; p < procs; p++) {
        ps.add(engine.process(() -> {
          List<Thread> ts = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
              try {
                q.take();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
            th.start();
            ts.add(th);
          }
          allParked(ts);
          started.release(); // after every thread's take on the stream: the master has them all
          for (Thread th : ts) {
            th.join();
          }
        }).start());
      }
      for (int p = 0; p < procs; p++) {
        check(started.tryAcquire(WAIT), "waiters blocked");
      }
      long heap1 = heapAfterGc();
      long rss1 = rss();
      for (int i = 0; i < procs * threads; i++) {
        q.put(i);
      }
      join(ps);
      int w = procs * threads;
      out.add("S8", "take_waiters_heap_per_1000", (heap1 - heap0) / (w / 1000.0), "bytes", String.format(
          "master heap used after System.gc() with %d takes blocked (%d processes x %d threads) vs before: %.1f MB -> %.1f MB",
          w, procs, threads, heap0 / 1e6, heap1 / 1e6));
      out.add("S8", "take_waiters_rss_per_1000", (rss1 - rss0) / (w / 1000.0), "bytes", String.format(
          "master VmRSS, same points (includes the %d connections' buffers): %.1f MB -> %.1f MB", procs, rss0 / 1e6, rss1 / 1e6));
    }
  }

  /** Waits until every thread of {@code ts} is parked (in a worker: its call is on the stream). */
  static void allParked(List<Thread> ts) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (Thread th : ts) {
      while (th.getState() != Thread.State.WAITING) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("a waiter did not block");
        }
        Thread.sleep(1); // polling interval of a bounded wait
      }
    }
  }

  /**
   * S9: 100 waiters on one event, from 100 processes if {@code -Dbench.s9.procs} says so, by
   * default 4 processes of 25 threads and 10 processes of 10 threads; time from set() to the last
   * waiter woken (System.nanoTime, the same clock in every process here).
   */
  void s9() throws Exception {
    for (int[] shape : shapes()) {
      int procs = shape[0];
      int threads = shape[1];
      try (Engine engine = Engine.start(Bench.engineOptions())) {
        SharedEvent ev = engine.event("s9");
        SharedSemaphore ready = engine.semaphore("s9-ready", 0);
        SharedMap<String, Long> woke = engine.map("s9-woke");
        List<EngineProcess> ps = new ArrayList<>();
        for (int p = 0; p < procs; p++) {
          int pi = p;
          ps.add(engine.process(() -> {
            ev.isSet();
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
              String key = pi + "-" + t;
              Thread th = new Thread(() -> {
                try {
                  ev.await();
                  woke.put(key, System.nanoTime());
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
              th.start();
              ts.add(th);
            }
            allParked(ts);
            ready.release(); // after every thread's await on the stream
            for (Thread th : ts) {
              th.join();
            }
          }).start());
        }
        int total = procs * threads;
        for (int p = 0; p < procs; p++) {
          check(ready.tryAcquire(WAIT), "waiters blocked");
        }
        long t0 = System.nanoTime();
        ev.set();
        join(ps);
        List<Long> lat = new ArrayList<>();
        for (long t : woke.values()) {
          lat.add(Math.max(0, t - t0));
        }
        lat.sort(null);
        out.add("S9", "event_wake_" + procs + "x" + threads, lat.get(lat.size() - 1) / 1e6, "ms", String.format(
            "%d waiters (%d processes x %d threads) on one event: set() to the last woken; median %.2f ms, first %.2f ms",
            total, procs, threads, lat.get(lat.size() / 2) / 1e6, lat.get(0) / 1e6));
      }
    }
  }

  private static List<int[]> shapes() {
    Integer procs = Integer.getInteger("bench.s9.procs");
    if (procs != null) {
      return List.of(new int[] {procs, Math.max(1, 100 / procs)});
    }
    return List.of(new int[] {4, 25}, new int[] {10, 10});
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown
    }
    return -1;
  }

  private static void join(List<EngineProcess> ps) throws InterruptedException {
    SharedObjectWorkloads.join(WAIT, ps);
  }

  private static void check(boolean ok, String what) {
    SharedObjectWorkloads.check(ok, what);
  }
}

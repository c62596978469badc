package dev.jobengine.bench;

import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.Job;
import dev.jobengine.JoinableQueue;
import dev.jobengine.SharedEvent;
import dev.jobengine.SharedLock;
import dev.jobengine.SharedMap;
import dev.jobengine.SharedQueue;
import dev.jobengine.SharedSemaphore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** W6, W7, W8, W9, W10 of the Python peer, with EngineProcess and the shared objects. */
final class SharedObjectWorkloads {
  private static final Duration WAIT = Duration.ofSeconds(120);

  private final Bench out;

  SharedObjectWorkloads(Bench out) {
    this.out = out;
  }

  /**
   * W6: a consumer (started first, blocked in take) gets 100,000 ints one producer puts; the first
   * round in a fresh engine ({@code queue}), then, in the same engine, the median of {@code
   * -Dbench.w6.rounds} (5) rounds after 2 untimed ones ({@code queue_warm}: the master's JIT warm,
   * each process still a fresh or standby JVM).
   */
  void w6() throws Exception {
    firstThenWarm("W6", "queue", this::w6Round);
  }

  /** One round of a queue workload in {@code engine}: its rate (items/s) and note. */
  private interface QueueRound {
    String[] run(Engine engine, int round) throws Exception;
  }

  /**
   * Round 0 in a fresh engine as {@code metric}, then in the same engine the median of {@code
   * -Dbench.w6.rounds} (5) rounds after 2 untimed ones as {@code metric_warm}.
   */
  private void firstThenWarm(String id, String metric, QueueRound round) throws Exception {
    try (Engine engine = Engine.start(Bench.engineOptions())) {
      String[] first = round.run(engine, 0);
      out.add(id, metric, Double.parseDouble(first[0]), "items/s", first[1]);
      int rounds = Integer.getInteger("bench.w6.rounds", 5);
      List<Double> rates = new ArrayList<>();
      String note = "";
      for (int r = 1; r <= rounds + 2; r++) {
        String[] one = round.run(engine, r);
        if (r > 2) {
          rates.add(Double.parseDouble(one[0]));
          note = one[1];
        }
      }
      out.add(id, metric + "_warm", Bench.median(rates), "items/s", String.format(
          "median of %d rounds (min %.0f, max %.0f) after 2 untimed, same engine; last: %s",
          rounds, java.util.Collections.min(rates), java.util.Collections.max(rates), note));
    }
  }

  /** One round of W6 on queue {@code "w6-" + round}: its rate and note. */
  private String[] w6Round(Engine engine, int round) throws Exception {
    int n = 100_000;
    String tag = "w6-" + round;
    SharedQueue<Integer> q = engine.queue(tag);
    SharedEvent ready = engine.event(tag + "-ready");
    SharedMap<String, Long> result = engine.map(tag + "-result");
    EngineProcess consumer = engine.process(() -> {
      q.size();
      ready.set();
      long c0 = contextSwitches();
      long sum = 0;
      for (int i = 0; i < n; i++) {
        sum += q.take();
      }
      result.put("end", System.nanoTime());
      result.put("csw", contextSwitches() - c0);
      result.put("sum", sum);
    }).start();
    check(ready.await(WAIT), "consumer ready");
    long[] wire0 = wireCounts();
    long csw0 = contextSwitches();
    long t0 = System.nanoTime();
    EngineProcess producer = engine.process(() -> {
      result.put("pstart", System.nanoTime());
      long c0 = contextSwitches();
      for (int i = 0; i < n; i++) {
        q.put(i);
      }
      result.put("pend", System.nanoTime());
      result.put("pcsw", contextSwitches() - c0);
    }).start();
    join(consumer, producer);
    long csw = contextSwitches() - csw0;
    long[] wire = wireCounts();
    double el = (result.get("end") - t0) / 1e9;
    boolean ok = result.get("sum") == (long) n * (n - 1) / 2;
    String note = String.format(
        "%d items in %.0f ms (includes the producer JVM's start: its first put came at %.0f ms, its last at %.0f ms); "
            + "checksum %s; per 1000 items: %s; context switches per 1000 items: master %.0f, producer's puts %.0f, consumer's takes %.0f",
        n, el * 1e3, (result.get("pstart") - t0) / 1e6, (result.get("pend") - t0) / 1e6, ok ? "ok" : "WRONG",
        perThousand(wire0, wire, n), csw * 1e3 / n, result.get("pcsw") * 1e3 / n, result.get("csw") * 1e3 / n);
    return new String[] {Double.toString(n / el), note};
  }

  /** Object-stream messages in this JVM so far: invocations in, replies out. */
  static long[] wireCounts() {
    return dev.jobengine.master.internal.hub.ObjectsGrpcService.messageCounts();
  }

  static String perThousand(long[] before, long[] after, long items) {
    StringBuilder ops = new StringBuilder();
    long in = 0;
    for (int i = 1; i < after.length; i++) {
      long n = after[i] - before[i];
      if (n > 0) {
        in += n;
        dev.jobengine.proto.Invocation.Op op = dev.jobengine.proto.Invocation.Op.forNumber(i - 1);
        ops.append(String.format("%s%s %.1f", ops.length() == 0 ? "" : ", ", op == null ? "op" + (i - 1) : op, n * 1e3 / items));
      }
    }
    return String.format("%.1f invocations in (%s), %.1f replies out", in * 1e3 / items, ops, (after[0] - before[0]) * 1e3 / items);
  }

  /** This JVM's context switches so far (voluntary and not, all its threads), from /proc; -1 where unknown. */
  static long contextSwitches() {
    long n = 0;
    try (java.nio.file.DirectoryStream<java.nio.file.Path> tasks =
        java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc/self/task"))) {
      for (java.nio.file.Path task : tasks) {
        try {
          for (String line : java.nio.file.Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
              n += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
          }
        } catch (java.io.IOException gone) {
          // the thread ended meanwhile
        }
      }
      return n;
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * W7: 2 consumers (started first) loop {take; taskDone}; 2 producers put 20,000 ints each; once
   * both producers have exited the driver joins the queue; items/s over 40,000. The first round in
   * a fresh engine ({@code joinable_queue}), then the median of 5 after 2 untimed in the same
   * engine ({@code joinable_queue_warm}).
   */
  void w7() throws Exception {
    firstThenWarm("W7", "joinable_queue", this::w7Round);
  }

  private String[] w7Round(Engine engine, int round) throws Exception {
    int per = 20_000;
    String tag = "w7-" + round;
    JoinableQueue<Integer> q = engine.joinableQueue(tag);
    SharedSemaphore ready = engine.semaphore(tag + "-ready", 0);
    SharedMap<String, Long> sums = engine.map(tag + "-sums");
    List<EngineProcess> consumers = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      String key = "c" + c;
      consumers.add(engine.process(() -> {
        q.size();
        ready.release();
        long sum = 0;
        while (true) {
          int v = q.take();
          if (v < 0) {
            q.taskDone();
            break;
          }
          sum += v;
          q.taskDone();
        }
        sums.put(key, sum);
      }).start());
    }
    for (int c = 0; c < 2; c++) {
      check(ready.tryAcquire(WAIT), "consumers ready");
    }
    long[] wire0 = wireCounts();
    long t0 = System.nanoTime();
    List<EngineProcess> producers = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      producers.add(engine.process(() -> {
        for (int i = 0; i < per; i++) {
          q.put(i);
        }
      }).start());
    }
    join(producers.toArray(EngineProcess[]::new));
    check(q.join(WAIT), "queue joined");
    double el = (System.nanoTime() - t0) / 1e9;
    long[] wire = wireCounts();
    q.put(-1);
    q.put(-1);
    join(consumers.toArray(EngineProcess[]::new));
    long sum = sums.values().stream().mapToLong(Long::longValue).sum();
    boolean ok = sum == 2L * per * (per - 1) / 2;
    return new String[] {Double.toString(2 * per / el), String.format(
        "%d items in %.0f ms (includes the producer JVMs' start); checksum %s; per 1000 items: %s",
        2 * per, el * 1e3, ok ? "ok" : "WRONG", perThousand(wire0, wire, 2L * per))};
  }

  /**
   * Not in the Python peer: the round trip of one non-blocking object call from a worker process
   * (event.isSet()), the unit cost behind W6-W10; p50 and p99 of 20,000 after 2,000 untimed.
   */
  void objectCall() throws Exception {
    int n = 20_000;
    try (Engine engine = Engine.start(Bench.engineOptions())) {
      SharedEvent ev = engine.event("call");
      SharedMap<String, long[]> result = engine.map("call-result");
      EngineProcess p = engine.process(() -> {
        for (int i = 0; i < 2_000; i++) {
          ev.isSet();
        }
        long[] samples = new long[n];
        for (int i = 0; i < n; i++) {
          long t = System.nanoTime();
          ev.isSet();
          samples[i] = System.nanoTime() - t;
        }
        java.util.Arrays.sort(samples);
        result.put("s", new long[] {samples[n / 2 - 1], samples[(int) Math.ceil(0.99 * n) - 1]});
      }).start();
      join(p);
      long[] s = result.get("s");
      out.add("X1", "object_call_p50", s[0] / 1e3, "us", "event.isSet() from a worker process, 20,000 sequential calls");
      out.add("X1", "object_call_p99", s[1] / 1e3, "us", "");
    }
  }

  /**
   * Starts one process per job, waits until all are ready, releases them together; returns t0.
   * Each process first runs its {@code warmUp} job (untimed), so that its JIT, and the master's,
   * have compiled the paths the job takes.
   */
  private static long runReleased(Engine engine, String tag, int count, IntFunction<Job> warmUp,
      IntFunction<Job> body, SharedMap<Integer, Long> ends) throws Exception {
    SharedSemaphore ready = engine.semaphore(tag + "-ready", 0);
    SharedEvent go = engine.event(tag + "-go");
    List<EngineProcess> ps = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int idx = i;
      Job warm = warmUp.apply(i);
      Job job = body.apply(i);
      ps.add(engine.process(() -> {
        warm.run();
        ready.release();
        if (!go.await(WAIT)) {
          System.exit(3);
        }
        job.run();
        ends.put(idx, System.nanoTime());
      }).start());
    }
    for (int i = 0; i < count; i++) {
      check(ready.tryAcquire(WAIT), "workers ready");
    }
    long t0 = System.nanoTime();
    go.set();
    join(ps.toArray(EngineProcess[]::new));
    return t0;
  }

  /** Runs a released workload twice: cold (suffix {@code _cold}), then after its warm-up. */
  private interface Released {
    void run(boolean warm, String suffix) throws Exception;
  }

  private static void coldThenWarm(Released workload) throws Exception {
    workload.run(false, "_cold");
    workload.run(true, "");
  }

  /** Untimed iterations of a released workload's warm-up: {@code -Dbench.objects.warmup} (20,000). */
  private static int warmIterations(boolean warm) {
    return warm ? Integer.getInteger("bench.objects.warmup", 20_000) : 0;
  }

  private static long lastEnd(SharedMap<Integer, Long> ends) {
    return ends.values().stream().mapToLong(Long::longValue).max().orElseThrow();
  }

  /**
   * W8: 2 released processes x 20,000 {acquire; counter += 1; release}; cold, and after each
   * process ran the loop untimed on a lock and counter of its own.
   */
  void w8() throws Exception {
    coldThenWarm(this::w8);
  }

  private void w8(boolean warm, String suffix) throws Exception {
    int iters = 20_000;
    int warmIters = warmIterations(warm);
    try (Engine engine = Engine.start(Bench.engineOptions())) {
      SharedLock lock = engine.lock("w8");
      SharedMap<String, Integer> counter = engine.map("w8-counter");
      counter.put("c", 0);
      SharedMap<Integer, Long> ends = engine.map("w8-ends");
      long t0 = runReleased(engine, "w8", 2,
          i -> {
            SharedLock own = engine.lock("w8-warm-lock-" + i);
            SharedMap<String, Integer> ownCounter = engine.map("w8-warm-counter-" + i);
            return () -> lockLoop(own, ownCounter, warmIters);
          },
          i -> () -> lockLoop(lock, counter, iters), ends);
      double el = (lastEnd(ends) - t0) / 1e9;
      int fin = counter.get("c");
      out.add("W8", "lock" + suffix, 2 * iters / el, "ops/s", String.format(
          "2 procs x %d iterations in %.0f ms%s; final counter %d (%s); counter is a SharedMap entry (get, then set, under the lock)",
          iters, el * 1e3, warmNote(warmIters), fin, fin == 2 * iters ? "ok" : "WRONG"));
    }
  }

  private static String warmNote(int warmIters) {
    return warmIters == 0 ? " (cold JIT)" : String.format(" after %d untimed iterations per process", warmIters);
  }

  private static void lockLoop(SharedLock lock, SharedMap<String, Integer> counter, int iters) {
    if (iters > 0 && !counter.containsKey("c")) {
      counter.put("c", 0);
    }
    for (int k = 0; k < iters; k++) {
      lock.lock();
      try {
        counter.set("c", counter.get("c") + 1);
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * W9: Semaphore(4); 8 released processes x 5,000 {acquire; release}; cold, and after each
   * process ran the loop untimed on a semaphore of its own.
   */
  void w9() throws Exception {
    coldThenWarm(this::w9);
  }

  private void w9(boolean warm, String suffix) throws Exception {
    int iters = 5_000;
    int procs = 8;
    int warmIters = warmIterations(warm);
    try (Engine engine = Engine.start(Bench.engineOptions())) {
      SharedSemaphore sem = engine.semaphore("w9", 4);
      SharedMap<Integer, Long> ends = engine.map("w9-ends");
      long t0 = runReleased(engine, "w9", procs,
          i -> {
            SharedSemaphore own = engine.semaphore("w9-warm-" + i, 4);
            return () -> semaphoreLoop(own, warmIters);
          },
          i -> () -> semaphoreLoop(sem, iters), ends);
      double el = (lastEnd(ends) - t0) / 1e9;
      out.add("W9", "semaphore" + suffix, procs * iters / el, "ops/s", String.format(
          "Semaphore(4), %d procs x %d acquire+release in %.0f ms%s; permits after: %d",
          procs, iters, el * 1e3, warmNote(warmIters), sem.availablePermits()));
    }
  }

  private static void semaphoreLoop(SharedSemaphore sem, int iters) throws InterruptedException {
    for (int k = 0; k < iters; k++) {
      sem.acquire();
      sem.release();
    }
  }

  /**
   * W10: event ping-pong between two processes; 200 untimed, then 5,000 timed round trips; cold,
   * and after {@code -Dbench.objects.warmup} (20,000) more untimed round trips.
   */
  void w10() throws Exception {
    coldThenWarm(this::w10);
  }

  private void w10(boolean warm, String suffix) throws Exception {
    int n = 5_000;
    int untimed = 200 + warmIterations(warm);
    try (Engine engine = Engine.start(Bench.engineOptions())) {
      SharedEvent e1 = engine.event("w10-e1");
      SharedEvent e2 = engine.event("w10-e2");
      SharedMap<String, Long> span = engine.map("w10-span");
      SharedMap<Integer, Long> ends = engine.map("w10-ends");
      runReleased(engine, "w10", 2, i -> () -> {}, i -> i == 0
          ? () -> {
            for (int k = 0; k < untimed; k++) {
              e1.set();
              e2.await();
              e2.clear();
            }
            long t0 = System.nanoTime();
            for (int k = 0; k < n; k++) {
              e1.set();
              e2.await();
              e2.clear();
            }
            span.put("t0", t0);
            span.put("t1", System.nanoTime());
          }
          : () -> {
            for (int k = 0; k < untimed + n; k++) {
              e1.await();
              e1.clear();
              e2.set();
            }
          }, ends);
      double el = (span.get("t1") - span.get("t0")) / 1e9;
      out.add("W10", "event_roundtrip" + suffix, el / n * 1e6, "us", String.format(
          "%d round trips in %.0f ms (after %d untimed)", n, el * 1e3, untimed));
    }
  }

  private static void join(EngineProcess... ps) throws InterruptedException {
    join(WAIT, List.of(ps));
  }

  /** Waits for each process at most {@code wait} (killing it then); each must exit with 0. */
  static void join(Duration wait, List<EngineProcess> ps) throws InterruptedException {
    for (EngineProcess p : ps) {
      if (!p.join(wait)) {
        p.kill();
        throw new IllegalStateException(p.name() + " did not finish");
      }
      check(p.exitCode().orElse(-1) == 0, p.name() + " exited with " + p.exitCode());
    }
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("failed: " + what);
    }
  }
}

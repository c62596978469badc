package dev.jobengine.bench;

import dev.jobengine.Engine;
import dev.jobengine.SharedEvent;
import dev.jobengine.SharedQueue;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A client's shared-object round trips through a daemon: {@code java -cp benchmarks.jar
 * dev.jobengine.bench.DaemonLatency HOST:PORT KEYFILE}. Prints the p50 of an event's isSet (one
 * round trip), cold (the first 200 calls) and warm (after 5,000), and put+take pairs per second.
 */
public final class DaemonLatency {
  private DaemonLatency() {}

  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    try (Engine engine = Engine.connect(args[0], Path.of(args[1]))) {
      System.out.printf("connect %.1f ms%n", (System.nanoTime() - t0) / 1e6);
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

package dev.jobengine.bench;

import dev.jobengine.Engine;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.WorkerLostException;
import dev.jobengine.master.internal.EngineImpl;
import dev.jobengine.master.internal.pool.PoolImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A pool under repeated SIGKILLs: {@code tasks} tasks of {@code taskTime} each on a pool of {@code
 * workers}, while a random worker JVM of this process (connected or still starting) is killed
 * every {@code killEvery}. Counts what every caller saw: succeeded, lost with its worker, other
 * failures, duplicates (an outcome delivered twice: must be 0), the tasks run again, and how long
 * after each SIGKILL the task it hit failed.
 */
public final class Chaos {
  private Chaos() {}

  /** What a run saw. */
  public record Report(
      int tasks, int kills, int succeeded, int lost, int otherFailures, long retried, int duplicates,
      int wrongValues, List<Double> lossLatencyMillis, double seconds, boolean backToFullSize) {

    public double medianLatencyMillis() {
      return percentile(0.5);
    }

    public double maxLatencyMillis() {
      return lossLatencyMillis.isEmpty() ? Double.NaN : Collections.max(lossLatencyMillis);
    }

    private double percentile(double p) {
      if (lossLatencyMillis.isEmpty()) {
        return Double.NaN;
      }
      List<Double> sorted = new ArrayList<>(lossLatencyMillis);
      Collections.sort(sorted);
      return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
    }

    @Override
    public String toString() {
      return String.format(
          "tasks=%d kills=%d succeeded=%d lost=%d other=%d retried=%d duplicates=%d wrong=%d"
              + " kill-to-failure median=%.1f ms max=%.1f ms (%d measured) time=%.1f s back-to-full-size=%s",
          tasks, kills, succeeded, lost, otherFailures, retried, duplicates, wrongValues,
          medianLatencyMillis(), maxLatencyMillis(), lossLatencyMillis.size(), seconds, backToFullSize);
    }
  }

  static Integer work(int i, long millis) throws InterruptedException {
    Thread.sleep(millis); // the workload: a task that takes this long
    return i;
  }

  /** Kills until every task has ended, or {@code maxKills} kills were made. */
  public static Report run(Engine engine, int workers, int tasks, Duration taskTime, Duration killEvery, int maxKills,
      int retries, long seed) throws InterruptedException {
    Map<Integer, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    Map<Long, Long> killedAt = new ConcurrentHashMap<>();
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger succeeded = new AtomicInteger();
    AtomicInteger lost = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    AtomicInteger wrong = new AtomicInteger();
    AtomicInteger kills = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(tasks);
    long start = System.nanoTime();
    boolean fullSize;
    long retried;
    try (Pool pool = engine.pool(PoolOptions.builder().workers(workers).retries(retries).build())) {
      Supplier<List<ProcessHandle>> candidates = engine instanceof EngineImpl impl
          ? () -> impl.faults().liveWorkers()
          : () -> ProcessHandle.current().children()
              .filter(p -> p.info().commandLine().orElse("").contains("dev.jobengine.worker.WorkerMain"))
              .toList();
      Thread killer = new Thread(() -> killRandomWorkers(candidates, killEvery, maxKills, seed, killedAt, kills, done), "chaos-killer");
      killer.setDaemon(true);
      killer.start();
      long millis = taskTime.toMillis();
      for (int n = 0; n < tasks; n++) {
        int i = n;
        pool.applyAsync(() -> work(i, millis),
            v -> {
              if (outcomes.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet() == 1) {
                if (v != i) {
                  wrong.incrementAndGet();
                }
                succeeded.incrementAndGet();
                done.countDown();
              }
            },
            e -> {
              if (outcomes.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet() == 1) {
                if (e instanceof WorkerLostException wl) {
                  lost.incrementAndGet();
                  Long at = killedAt.get(wl.pid());
                  if (at != null) {
                    latencies.add((System.nanoTime() - at) / 1e6);
                  }
                } else {
                  other.incrementAndGet();
                }
                done.countDown();
              }
            });
      }
      if (!done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("only " + (tasks - done.getCount()) + " of " + tasks + " tasks ended");
      }
      killer.join(killEvery.toMillis() * 2 + 1000);
      fullSize = awaitFullSize(pool, workers, Duration.ofSeconds(60));
      retried = pool instanceof PoolImpl impl ? impl.retried() : -1;
    }
    int duplicates = outcomes.values().stream().mapToInt(c -> c.get() - 1).sum();
    return new Report(tasks, kills.get(), succeeded.get(), lost.get(), other.get(), retried, duplicates, wrong.get(),
        List.copyOf(latencies), (System.nanoTime() - start) / 1e9, fullSize);
  }

  private static void killRandomWorkers(Supplier<List<ProcessHandle>> candidates,
      Duration every, int maxKills, long seed, Map<Long, Long> killedAt, AtomicInteger kills, CountDownLatch done) {
    Random random = new Random(seed);
    try {
      while (kills.get() < maxKills && !done.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
        List<ProcessHandle> workers = candidates.get().stream().filter(ProcessHandle::isAlive).toList();
        if (!workers.isEmpty()) {
          ProcessHandle victim = workers.get(random.nextInt(workers.size()));
          killedAt.put(victim.pid(), System.nanoTime());
          if (victim.destroyForcibly()) {
            kills.incrementAndGet();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean awaitFullSize(Pool pool, int workers, Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      if (pool.workerPids().size() == workers) {
        return true;
      }
      Thread.sleep(20); // polling interval of a bounded wait
    }
    return false;
  }

  /** {@code java -cp benchmarks.jar dev.jobengine.bench.Chaos [tasks] [workers] [kill-every-ms] [retries]} */
  public static void main(String[] args) throws Exception {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int workers = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    long killEveryMs = args.length > 2 ? Long.parseLong(args[2]) : 300;
    int retries = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    try (Engine engine = Engine.start()) {
      Report r = run(engine, workers, tasks, Duration.ofMillis(10), Duration.ofMillis(killEveryMs), Integer.MAX_VALUE,
          retries, 42);
      System.out.println(r);
    }
  }
}

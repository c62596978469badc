package dev.jobengine.master.cli;

import dev.jobengine.AsyncResult;
import dev.jobengine.Engine;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.Task;
import java.io.PrintStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jobengine demo}: a pool of worker JVMs runs a few dozen tasks submitted with {@code
 * applyAsync} and a callback; each result is printed as it arrives, with the worker that ran it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start worker JVMs, run tasks on them with applyAsync and callbacks, show who ran what.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--workers", description = "worker JVMs (default: number of cores)")
  int workers = Runtime.getRuntime().availableProcessors();

  @Option(names = "--tasks", description = "tasks to submit (default: ${DEFAULT-VALUE})")
  int tasks = 36;

  /** What one task reports back: its input, its answer, and where and how long it ran. */
  record Outcome(int task, long limit, int primes, long pid, double millis) implements Serializable {}

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    long t0 = System.nanoTime();
    out.printf("jobengine demo: %d tasks on %d worker JVMs (Java %s)%n%n", tasks, workers, Runtime.version());
    try (Engine engine = Engine.start();
        Pool pool = engine.pool(PoolOptions.builder().workers(workers).build())) {
      out.printf("master pid %d, workers started: pids %s%n%n", ProcessHandle.current().pid(), pool.workerPids());
      Map<Long, Integer> perWorker = new TreeMap<>();
      List<AsyncResult<Outcome>> results = new ArrayList<>();
      for (int i = 1; i <= tasks; i++) {
        int task = i;
        long limit = 100_000L + 20_000L * (i % 7);
        Task<Outcome> work = () -> countPrimes(task, limit);
        results.add(pool.applyAsync(work, o -> {
          perWorker.merge(o.pid(), 1, Integer::sum);
          out.printf("  task %2d  primes below %,7d = %,6d   worker pid %-7d %6.1f ms   (+%.0f ms)%n",
              o.task(), o.limit(), o.primes(), o.pid(), o.millis(), (System.nanoTime() - t0) / 1e6);
        }));
      }
      int failed = 0;
      for (AsyncResult<Outcome> r : results) {
        if (!r.await(Duration.ofMinutes(2)) || !r.successful()) {
          failed++;
        }
      }
      double wall = (System.nanoTime() - t0) / 1e6;
      out.printf("%nsummary: %d tasks (%d failed) on %d workers in %.0f ms wall time%n", tasks, failed, pool.size(), wall);
      perWorker.forEach((pid, n) -> out.printf("  worker pid %-7d ran %2d tasks%n", pid, n));
      return failed == 0 ? 0 : 1;
    }
  }

  static Outcome countPrimes(int task, long limit) {
    long start = System.nanoTime();
    int count = 0;
    for (long n = 2; n < limit; n++) {
      boolean prime = true;
      for (long d = 2; d * d <= n; d++) {
        if (n % d == 0) {
          prime = false;
          break;
        }
      }
      if (prime) {
        count++;
      }
    }
    return new Outcome(task, limit, count, ProcessHandle.current().pid(), (System.nanoTime() - start) / 1e6);
  }
}

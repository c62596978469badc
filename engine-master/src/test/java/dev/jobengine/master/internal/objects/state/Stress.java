package dev.jobengine.master.internal.objects.state;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs a few worker bodies concurrently, bounded by a timeout, and returns their results. */
final class Stress {
  static final int THREADS = 4;
  static final int OPS = 5_000;

  private Stress() {}

  interface Body<R> {
    R run(int thread) throws Exception;
  }

  static <R> List<R> run(int threads, Body<R> body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Callable<R> task = () -> body.run(thread);
        futures.add(pool.submit(task));
      }
      List<R> results = new ArrayList<>();
      for (Future<R> future : futures) {
        results.add(future.get(60, SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, SECONDS);
    }
  }
}

package dev.jobengine.bench;

import dev.jobengine.AsyncResult;
import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.JoinableQueue;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.SharedEvent;
import dev.jobengine.SharedLock;
import dev.jobengine.master.internal.EngineImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * F1, F3, F4 and F5 of the Python peer: what a user sees when a worker is SIGKILLed mid-task, a
 * lock holder or a consumer is SIGKILLed, or a task or its result cannot be serialized; and F6, a
 * worker stopped with SIGSTOP. F2 (the
 * parent SIGKILLed) needs a master to kill: the integration test MasterKillIT covers it.
 */
final class FaultScenarios {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Bench out;

  FaultScenarios(Bench out) {
    this.out = out;
  }

  private void outcome(String scenario, String metric, String value, String note) {
    out.addOutcome(scenario, metric, value, note);
  }

  private static String describe(Throwable t) {
    Throwable e = t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
    return "raised " + e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  static void sigkillSelf() throws Exception {
    new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start().waitFor();
    Thread.sleep(10_000);
  }

  /** F1: a task SIGKILLs its own worker. */
  void f1() throws Exception {
    try (Engine engine = Engine.start(Bench.engineOptions()); Pool pool = engine.pool(Bench.poolOptions(2))) {
      Bench.warm(pool);
      CompletableFuture<String> callback = new CompletableFuture<>();
      long t0 = System.nanoTime();
      AsyncResult<Object> r = pool.applyAsync(() -> {
        sigkillSelf();
        return null;
      }, v -> callback.complete("success"), e -> callback.complete(e.getClass().getSimpleName()));
      String got;
      try {
        r.get(10, TimeUnit.SECONDS);
        got = "returned a value";
      } catch (TimeoutException e) {
        got = "hangs: TimeoutException at the 10 s timeout";
      } catch (ExecutionException e) {
        got = describe(e);
      }
      double ms = (System.nanoTime() - t0) / 1e6;
      String cb = callback.isDone() ? callback.getNow("") : "not called";
      outcome("F1", "pool_get_after_worker_sigkill", got, String.format(
          "get returned after %.0f ms (from submit, including the kill); error callback: %s", ms, cb));
      t0 = System.nanoTime();
      int v = pool.apply(() -> Bench.inc(41));
      outcome("F1", "pool_new_task_after_kill", "yes (f(41) = " + v + ")", String.format(
          "%.1f ms; the dead worker is replaced", (System.nanoTime() - t0) / 1e6));
    }
  }

  /** F3: a lock holder is SIGKILLed; another process then acquires with a 5 s timeout. */
  void f3() throws Exception {
    try (Engine engine = Engine.start(Bench.engineOptions())) {
      SharedLock lock = engine.lock("f3");
      SharedEvent held = engine.event("f3-held");
      EngineProcess a = engine.process(() -> {
        lock.lock();
        held.set();
        Thread.sleep(60_000);
      }).start();
      check(held.await(WAIT));
      a.kill();
      a.join(WAIT);
      long t0 = System.nanoTime();
      EngineProcess bp = engine.process(() -> {
        boolean got = lock.acquire(Duration.ofSeconds(5));
        if (got) {
          lock.release();
        }
        System.exit(got ? 0 : 2);
      }).start();
      check(bp.join(WAIT));
      double ms = (System.nanoTime() - t0) / 1e6;
      outcome("F3", "acquire_after_holder_killed",
          bp.exitCode().orElse(-1) == 0 ? "acquired (the dead holder's lock was given back)" : "timed out",
          String.format("B started and acquired within %.0f ms (includes B's JVM start); holder exit code %s",
              ms, exit(a)));
      String third;
      try {
        lock.release();
        third = "works";
      } catch (IllegalMonitorStateException e) {
        third = "refused: IllegalMonitorStateException (only the holder releases; a dead holder's lock comes back by itself)";
      }
      outcome("F3", "release_by_third_process", third, "the master releases a lock it does not hold");
    }
  }

  /** F4: a consumer takes an item of a JoinableQueue and is SIGKILLed before taskDone. */
  void f4() throws Exception {
    try (Engine engine = Engine.start(Bench.engineOptions())) {
      JoinableQueue<Integer> q = engine.joinableQueue("f4");
      SharedEvent took = engine.event("f4-took");
      q.put(0);
      q.put(1);
      EngineProcess c = engine.process(() -> {
        q.take();
        took.set();
        Thread.sleep(60_000);
      }).start();
      check(took.await(WAIT));
      c.kill();
      c.join(WAIT);
      List<Integer> items = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (items.size() < 2 && System.nanoTime() < deadline) {
        Integer v = q.poll(100, TimeUnit.MILLISECONDS);
        if (v != null) {
          items.add(v);
          q.taskDone();
        }
      }
      boolean joined = q.join(Duration.ofSeconds(5));
      outcome("F4", "join_returns_within_5s", joined ? "yes" : "no (hangs)",
          "after the driver took and marked done what was in the queue; consumer exit code "
              + exit(c));
      outcome("F4", "item_lost", items.contains(0) ? "no" : "yes",
          "items the driver found in the queue afterwards: " + items + " (the dead consumer's item goes back to the front)");
    }
  }

  /** F5: a task that cannot be serialized, and one whose result cannot be. */
  void f5() throws Exception {
    try (Engine engine = Engine.start(Bench.engineOptions()); Pool pool = engine.pool(Bench.poolOptions(2))) {
      Bench.warm(pool);
      Object notSerializable = new Object();
      long t0 = System.nanoTime();
      String submit;
      try {
        pool.applyAsync(() -> notSerializable.hashCode());
        submit = "no error at submit";
      } catch (RuntimeException e) {
        submit = describe(e);
      }
      outcome("F5", "pool_unserializable_task_submit", submit,
          String.format("a lambda capturing a non-serializable object; %.1f ms", (System.nanoTime() - t0) / 1e6));
      CompletableFuture<String> callback = new CompletableFuture<>();
      t0 = System.nanoTime();
      AsyncResult<Object> r = pool.applyAsync(Object::new, v -> callback.complete("success"),
          e -> callback.complete("called with " + e.getClass().getSimpleName()));
      String got;
      try {
        r.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        got = "returned a value";
      } catch (ExecutionException e) {
        got = describe(e);
      }
      outcome("F5", "pool_unserializable_result_get", got,
          String.format("%.1f ms after submit", (System.nanoTime() - t0) / 1e6));
      outcome("F5", "pool_unserializable_result_error_callback",
          callback.get(WAIT.toSeconds(), TimeUnit.SECONDS), "");
      outcome("F5", "pool_usable_afterwards", "yes (f(41) = " + pool.apply(() -> Bench.inc(41)) + ")", "");
    }
  }

  /**
   * F6 (no Python peer: its pool waits forever): a worker stopped with SIGSTOP mid-task, with the
   * default liveness timeout. Python's pool hangs on such a worker's task for as long as it stays
   * stopped.
   */
  void f6() throws Exception {
    try (Engine engine = Engine.start(Bench.engineOptions()); Pool pool = engine.pool(Bench.poolOptions(2))) {
      Bench.warm(pool);
      SharedEvent running = engine.event("f6-running");
      AsyncResult<Long> r = pool.applyAsync(() -> {
        running.set();
        Thread.sleep(120_000);
        return ProcessHandle.current().pid();
      });
      check(running.await(WAIT));
      long pid = ((EngineImpl) engine).faults().workerRunning(r).orElseThrow();
      new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
      long stoppedAt = System.nanoTime();
      String got;
      try {
        r.get(60, TimeUnit.SECONDS);
        got = "returned a value";
      } catch (TimeoutException e) {
        got = "hangs: TimeoutException at the 60 s timeout";
      } catch (ExecutionException e) {
        got = describe(e).replaceAll("\\s+", " ");
      }
      double ms = (System.nanoTime() - stoppedAt) / 1e6;
      outcome("F6", "pool_get_after_worker_sigstop", got.length() > 160 ? got.substring(0, 160) + "..." : got,
          String.format("%.0f ms after SIGSTOP (liveness timeout %s)", ms, PoolOptions.builder().build().livenessTimeout()));
      long t0 = System.nanoTime();
      int v = pool.apply(() -> Bench.inc(41));
      outcome("F6", "pool_new_task_after_sigstop", "yes (f(41) = " + v + ")",
          String.format("%.1f ms; the stopped worker was killed and replaced", (System.nanoTime() - t0) / 1e6));
    }
  }

  private static String exit(EngineProcess p) {
    return p.exitCode().isPresent() ? Integer.toString(p.exitCode().getAsInt()) : "?";
  }

  private static void check(boolean ok) {
    if (!ok) {
      throw new IllegalStateException("a fault scenario did not reach its next step in time");
    }
  }
}

package dev.jobengine.test;

import dev.jobengine.Engine;
import dev.jobengine.EngineOptions;
import dev.jobengine.master.internal.EngineImpl;
import dev.jobengine.master.internal.FaultHooks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One test's engine: started before the test, and after it closed with a bound and checked for
 * processes that outlive it. Each step of the check is bounded, so a hung engine fails the test
 * instead of hanging the build.
 */
final class EngineUnderTest {
  private static final Logger log = LoggerFactory.getLogger(EngineUnderTest.class);
  /** After a close that returned: how long the engine's processes may take to be seen gone. */
  private static final Duration EXIT_GRACE = Duration.ofSeconds(2);
  /** After SIGKILL: how long a leftover process may take to exit. */
  private static final Duration KILL_BOUND = Duration.ofSeconds(10);

  private final EngineImpl engine;
  private final Duration closeTimeout;
  private final Faults faults;

  private EngineUnderTest(EngineImpl engine, Duration closeTimeout) {
    this.engine = engine;
    this.closeTimeout = closeTimeout;
    this.faults = new Faults(engine::faults);
  }

  static EngineUnderTest start(EngineOptions options, Duration closeTimeout) {
    return new EngineUnderTest(EngineImpl.start(options), closeTimeout);
  }

  Engine engine() {
    return engine;
  }

  Faults faults() {
    return faults;
  }

  /**
   * Resumes stopped workers, closes the engine within the close timeout, then kills whatever of the
   * engine still runs: its worker JVMs and the processes they started. Returns a description of
   * each problem found; empty if the engine closed in time and left nothing behind.
   */
  List<String> closeAndCheck(String testName) {
    List<String> problems = new ArrayList<>(faults.resumeStopped());
    FaultHooks hooks = engine.faults();
    // The processes the workers started are not the engine's to end, but they must not outlive the
    // test either; once their worker is gone, they can no longer be found from it.
    Map<Long, ProcessHandle> suspects = new LinkedHashMap<>();
    addWithDescendants(suspects, hooks.liveWorkers());

    CompletableFuture<Void> closed = new CompletableFuture<>();
    Thread closer = new Thread(() -> {
      try {
        engine.close();
        closed.complete(null);
      } catch (Throwable e) {
        closed.completeExceptionally(e);
      }
    }, "jobengine-test-close");
    closer.setDaemon(true);
    closer.start();
    boolean closedInTime = false;
    try {
      closed.get(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
      closedInTime = true;
    } catch (TimeoutException e) {
      problems.add("engine.close() did not return within " + closeTimeout.toMillis() + " ms; it was at:"
          + stackOf(closer));
    } catch (ExecutionException e) {
      closedInTime = true;
      problems.add("engine.close() threw " + e.getCause());
      log.warn("{}: engine.close() threw", testName, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problems.add("interrupted while waiting for engine.close()");
    }
    addWithDescendants(suspects, hooks.liveWorkers());
    if (closedInTime) {
      awaitExits(suspects.values(), EXIT_GRACE);
    }
    for (ProcessHandle p : suspects.values()) {
      if (p.isAlive()) {
        String name = ProcessDescription.of(p);
        log.warn("{}: killing {}, still running after the engine closed", testName, name);
        p.destroyForcibly();
        boolean died = awaitExits(List.of(p), KILL_BOUND);
        problems.add("still running after the engine closed, killed" + (died ? "" : " (but it did not exit)")
            + ": " + name);
      }
    }
    if (!closedInTime) {
      // with its processes gone, a close that hung on them may still finish; do not wait long
      closed.completeOnTimeout(null, KILL_BOUND.toMillis(), TimeUnit.MILLISECONDS).join();
    }
    return problems;
  }

  private static void addWithDescendants(Map<Long, ProcessHandle> into, List<ProcessHandle> workers) {
    for (ProcessHandle worker : workers) {
      into.putIfAbsent(worker.pid(), worker);
      worker.descendants().forEach(d -> into.putIfAbsent(d.pid(), d));
    }
  }

  /** True if every process exited within {@code bound}. */
  private static boolean awaitExits(Iterable<ProcessHandle> processes, Duration bound) {
    List<CompletableFuture<ProcessHandle>> exits = new ArrayList<>();
    processes.forEach(p -> exits.add(p.onExit()));
    try {
      CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new)).get(bound.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String stackOf(Thread thread) {
    StringBuilder s = new StringBuilder();
    for (StackTraceElement e : thread.getStackTrace()) {
      s.append("\n\tat ").append(e);
    }
    return s.toString();
  }
}

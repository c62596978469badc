package dev.jobengine.it;

import dev.jobengine.Engine;
import dev.jobengine.Pool;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * A master in a JVM of its own, for tests that kill it: starts a pool of 2, has a task print to
 * the worker's stdout, prints its workers' pids, then waits until its stdin ends (at most 120 s).
 */
public final class ChildMaster {
  private ChildMaster() {}

  public static void main(String[] args) throws Exception {
    Engine engine = Engine.start();
    Pool pool = engine.pool(2);
    pool.apply(() -> {
      System.out.println("hello from worker " + ProcessHandle.current().pid());
      System.out.flush();
      return null;
    });
    Processes.await(Duration.ofSeconds(60), () -> pool.workerPids().size() == 2); // both connected
    System.out.println("PIDS " + pool.workerPids().stream().map(String::valueOf).collect(Collectors.joining(" ")));
    System.out.flush();
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.in.read() >= 0 && System.nanoTime() < deadline) {
      // wait for the test to kill us or to close our stdin
    }
    engine.close();
  }
}

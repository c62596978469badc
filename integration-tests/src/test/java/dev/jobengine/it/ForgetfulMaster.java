package dev.jobengine.it;

import dev.jobengine.Engine;
import dev.jobengine.Pool;
import dev.jobengine.master.internal.EngineImpl;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * A master that never closes its engine, for MasterKillIT: runs a task on a pool of 2, prints
 * {@code HUB <address>} and {@code PIDS <pid> <pid>}, and returns from main.
 */
public final class ForgetfulMaster {
  private ForgetfulMaster() {}

  public static void main(String[] args) throws Exception {
    Engine engine = Engine.start();
    Pool pool = engine.pool(2);
    pool.apply(() -> 1);
    Processes.await(Duration.ofSeconds(60), () -> pool.workerPids().size() == 2);
    System.out.println("HUB " + ((EngineImpl) engine).hubAddress());
    System.out.println("PIDS " + pool.workerPids().stream().map(String::valueOf).collect(Collectors.joining(" ")));
    System.out.flush();
  }
}

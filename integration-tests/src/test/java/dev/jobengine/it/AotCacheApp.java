package dev.jobengine.it;

import dev.jobengine.Engine;
import dev.jobengine.Fn;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.SharedBarrier;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

/**
 * Runs one task on each worker of a pool of 2 (they meet at a barrier, so both are up) and prints
 * the JVM options of each.
 */
public final class AotCacheApp {
  private AotCacheApp() {}

  public static void main(String[] args) throws Exception {
    try (Engine engine = Engine.start()) {
      SharedBarrier both = engine.barrier("both", 2);
      Pool pool = engine.pool(PoolOptions.builder().workers(2).build());
      Fn<Integer, String> options = i -> {
        both.await(Duration.ofSeconds(60));
        return String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
      };
      for (String o : pool.map(options, List.of(1, 2), 1)) {
        System.out.println("WORKER " + o);
      }
      pool.close();
      pool.join(Duration.ofSeconds(30));
    }
  }
}

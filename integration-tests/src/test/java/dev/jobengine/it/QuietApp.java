package dev.jobengine.it;

import dev.jobengine.Engine;
import dev.jobengine.Pool;
import java.time.Duration;

/** An application with no SLF4J provider, for QuietRunIT: a pool, a callback that throws, a result. */
public final class QuietApp {
  private QuietApp() {}

  public static void main(String[] args) throws Exception {
    try (Engine engine = Engine.start(); Pool pool = engine.pool(2)) {
      pool.applyAsync(() -> 1, v -> {
        throw new IllegalStateException("the callback threw on purpose");
      }).await(Duration.ofSeconds(60));
      engine.queue("q").put("item");
      System.out.println("RESULT " + pool.apply(() -> 41 + 1) + " " + engine.queue("q").take());
    }
  }
}

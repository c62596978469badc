package dev.jobengine.it;

import dev.jobengine.Engine;
import dev.jobengine.Pool;
import java.nio.file.Path;

/**
 * A client JVM of a daemon, for DaemonPoolIT: {@code DaemonPoolClient ADDRESS KEYFILE}: opens a
 * pool of 2, starts two tasks that block for a minute, prints READY once both run, and waits to
 * be killed.
 */
public final class DaemonPoolClient {
  private DaemonPoolClient() {}

  public static void main(String[] args) throws Exception {
    Engine engine = Engine.connect(args[0], Path.of(args[1]));
    Pool pool = engine.pool(2);
    for (int i = 0; i < 2; i++) {
      pool.applyAsync(() -> {
        Engine.current().<String>queue("client-started").put("running");
        Thread.sleep(60_000);
        return 0;
      });
    }
    engine.queue("client-started").take();
    engine.queue("client-started").take();
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(120_000);
  }
}

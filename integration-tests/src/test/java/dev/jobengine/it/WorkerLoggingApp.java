package dev.jobengine.it;

import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.Pool;
import java.time.Duration;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.SubstituteLoggerFactory;

/**
 * For WorkerLoggingIT: a fresh worker's first task logs; a second waits until the logging back
 * end is ready, and a third logs again; a process whose job ends at once, right after it logged.
 */
public final class WorkerLoggingApp {
  private WorkerLoggingApp() {}

  public static void main(String[] args) throws Exception {
    try (Engine engine = Engine.start(); Pool pool = engine.pool(1)) {
      pool.apply(() -> {
        LoggerFactory.getLogger("app.task").warn("logged by the first task");
        return 1;
      });
      pool.apply(() -> {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (LoggerFactory.getILoggerFactory() instanceof SubstituteLoggerFactory && System.nanoTime() < deadline) {
          Thread.onSpinWait(); // the back end initializes once the first result is out
        }
        return 2;
      });
      pool.apply(() -> {
        LoggerFactory.getLogger("app.task").warn("logged once the back end is ready");
        return 3;
      });
      EngineProcess job = engine.process(() -> LoggerFactory.getLogger("app.job").warn("logged by a short job")).start();
      if (!job.join(Duration.ofSeconds(60))) {
        throw new IllegalStateException("the job did not end");
      }
      System.out.println("DONE " + job.exitCode().orElse(-1));
    }
  }
}

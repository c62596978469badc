package dev.jobengine.examples;

import dev.jobengine.AsyncResult;
import dev.jobengine.Engine;
import dev.jobengine.Pool;
import dev.jobengine.SharedList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Pool tasks append their results to a shared list; the master reads them all at the end. */
public final class SharedListResults {
  static final int TASKS = 20;

  private SharedListResults() {}

  public static String run(Engine engine) throws Exception {
    SharedList<String> results = engine.list("results");
    try (Pool pool = engine.pool(2)) {
      List<AsyncResult<Void>> done = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) {
        int x = i;
        done.add(pool.applyAsync(() -> {
          results.add(x + "^2=" + x * x + " by " + ProcessHandle.current().pid());
          return null;
        }));
      }
      for (AsyncResult<Void> r : done) {
        r.get(Duration.ofMinutes(1).toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      }
    }
    return results.size() + " results in the shared list, e.g. " + results.get(0);
  }
}

package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.AsyncResult;
import dev.jobengine.Engine;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.test.JobEngineExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Tasks never wait behind a long task while another worker is free, whatever the prefetch. */
@ExtendWith(JobEngineExtension.class)
class SchedulingIT {
  @TempDir Path dir;

  /** Runs until {@code release} exists (at most 60 s), then returns the worker's pid. */
  static long runUntil(String release) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(Path.of(release)) && System.nanoTime() < deadline) {
      Thread.sleep(5); // the workload: a long task, held open by the test
    }
    return ProcessHandle.current().pid();
  }

  @Test
  void shortTasksQueuedInABusyWorkerAreStolenByAnIdleOne(Engine engine) throws Exception {
    try (Pool pool = engine.pool(PoolOptions.builder().workers(2).prefetch(8).build())) {
      pool.apply(() -> 0); // both workers may still be starting; wait for one
      String release = dir.resolve("release").toString();
      AsyncResult<Long> longTask = pool.applyAsync(() -> runUntil(release));
      List<AsyncResult<Long>> shortTasks = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        shortTasks.add(pool.applyAsync(() -> ProcessHandle.current().pid()));
      }
      for (AsyncResult<Long> r : shortTasks) {
        assertThat(r.await(java.time.Duration.ofSeconds(30))).as("a short task finished while the long one runs").isTrue();
      }
      assertThat(longTask.ready()).isFalse();
      Files.createFile(Path.of(release));
      long longPid = longTask.get(60, TimeUnit.SECONDS);
      assertThat(shortTasks).allSatisfy(r -> assertThat(r.get()).isNotEqualTo(longPid));
      // The worker that gave tasks back skips them and goes on with the tasks it gets next.
      List<Integer> items = java.util.stream.IntStream.range(0, 200).boxed().toList();
      assertThat(pool.map((Integer x) -> x + 1, items, 1)).hasSize(200).first().isEqualTo(1);
      assertThat(pool.map((Integer x) -> ProcessHandle.current().pid(), items, 1)).contains(longPid);
    }
  }
}

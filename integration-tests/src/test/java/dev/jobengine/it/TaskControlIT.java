package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.AsyncResult;
import dev.jobengine.Engine;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.RemoteTaskException;
import dev.jobengine.TaskTimeoutException;
import dev.jobengine.WorkerLostException;
import dev.jobengine.test.JobEngineExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Task timeouts, cancel(true), retries and maxTasksPerChild, with real worker JVMs. */
@ExtendWith(JobEngineExtension.class)
class TaskControlIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private Engine engine;

  /** Counts a run in {@code file} (one byte per run); the first {@code dying} runs kill their JVM. */
  static Integer countAndMaybeDie(String file, int dying) throws Exception {
    Path p = Path.of(file);
    Files.write(p, new byte[] {1}, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    if (Files.size(p) <= dying) {
      Runtime.getRuntime().halt(57);
    }
    return (int) Files.size(p);
  }

  @Test
  void aTaskPastItsTimeoutFailsAndItsWorkerIsReplaced() throws Exception {
    Pool pool = engine.pool(PoolOptions.builder().workers(1).taskTimeout(Duration.ofMillis(500)).build());
    List<Integer> quick = pool.map((Integer x) -> x * 2, List.of(1, 2, 3), 1);
    assertThat(quick).as("tasks within the limit").containsExactly(2, 4, 6);
    Path file = dir.resolve("pid");
    String f = file.toString();
    AsyncResult<Integer> slow = pool.applyAsync(() -> PidFile.announceAndRun(f));
    AsyncResult<Integer> behind = pool.applyAsync(() -> 42);
    long victim = PidFile.await(file);

    assertThatThrownBy(() -> slow.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(TaskTimeoutException.class).hasMessageContaining("PT0.5S");
    assertThat(behind.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the task queued behind it").isEqualTo(42);
    assertThat(Processes.await(WAIT, () -> Processes.isGone(victim))).as("its worker was killed").isTrue();
    assertThat(Processes.await(WAIT, () -> pool.workerPids().size() == 1 && !pool.workerPids().contains(victim)))
        .as("and replaced").isTrue();
  }

  @Test
  void cancelTrueStopsARunningTaskByReplacingItsWorker() throws Exception {
    Pool pool = engine.pool(1);
    Path file = dir.resolve("pid");
    String f = file.toString();
    AsyncResult<Integer> running = pool.applyAsync(() -> PidFile.announceAndRun(f));
    long victim = PidFile.await(file);

    assertThat(running.cancel(false)).as("cancel(false) leaves a running task alone").isFalse();
    assertThat(running.cancel(true)).isTrue();
    assertThat(running.isCancelled()).isTrue();
    assertThatThrownBy(running::get).isInstanceOf(CancellationException.class);
    assertThat(Processes.await(WAIT, () -> Processes.isGone(victim))).as("its worker was killed").isTrue();
    assertThat(pool.apply(() -> 7)).as("a replacement serves the pool").isEqualTo(7);
    assertThat(pool.workerPids()).doesNotContain(victim);
  }

  @Test
  void aCancelledTaskThatAWorkerHeldButHadNotStartedNeverRuns() throws Exception {
    Pool pool = engine.pool(PoolOptions.builder().workers(1).prefetch(4).build());
    Path gate = dir.resolve("gate");
    Path ran = dir.resolve("ran");
    String g = gate.toString();
    String r = ran.toString();
    AsyncResult<Integer> first = pool.applyAsync(() -> {
      while (!Files.exists(Path.of(g))) {
        Thread.sleep(5); // the task's own work: wait for the test to open the gate
      }
      return 1;
    });
    AsyncResult<Integer> held = pool.applyAsync(() -> {
      Files.writeString(Path.of(r), "ran");
      return 2;
    });
    assertThat(held.cancel(false)).isTrue();
    Files.writeString(gate, "open");
    assertThat(first.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(pool.apply(() -> 3)).isEqualTo(3);
    assertThat(ran).as("the cancelled task never ran").doesNotExist();
    assertThat(held.isCancelled()).isTrue();
  }

  @Test
  void aTaskLostWithItsWorkerRunsAgainUpToTheRetries() throws Exception {
    Pool pool = engine.pool(PoolOptions.builder().workers(1).retries(2).build());
    String twice = dir.resolve("twice").toString();
    assertThat(pool.apply(() -> countAndMaybeDie(twice, 2))).as("the third run succeeds").isEqualTo(3);

    String always = dir.resolve("always").toString();
    assertThatThrownBy(() -> pool.apply(() -> countAndMaybeDie(always, 100)))
        .isInstanceOf(WorkerLostException.class).hasMessageContaining("exited with status 57");
    assertThat(Files.size(Path.of(always))).as("one run and two retries").isEqualTo(3);
  }

  @Test
  void aTaskThatThrowsIsNeverRetried() throws Exception {
    Pool pool = engine.pool(PoolOptions.builder().workers(1).retries(3).build());
    Path runs = dir.resolve("runs");
    String f = runs.toString();
    assertThatThrownBy(() -> pool.apply(() -> {
      Files.write(Path.of(f), new byte[] {1}, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      throw new IllegalStateException("no");
    })).isInstanceOf(RemoteTaskException.class);
    assertThat(Files.size(runs)).isEqualTo(1);
  }

  @Test
  void aWorkerIsReplacedAfterMaxTasksPerChild() throws Exception {
    Pool pool = engine.pool(PoolOptions.builder().workers(1).maxTasksPerChild(2).build());
    List<AsyncResult<Long>> results = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      results.add(pool.applyAsync(() -> ProcessHandle.current().pid()));
    }
    List<Long> pids = new ArrayList<>();
    for (AsyncResult<Long> r : results) {
      pids.add(r.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }
    assertThat(pids.stream().distinct().count()).as("three workers, two tasks each: " + pids).isEqualTo(3);
    IntStream.range(0, 3).forEach(i -> assertThat(pids.get(2 * i)).isEqualTo(pids.get(2 * i + 1)));
  }
}

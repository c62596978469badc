package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.AsyncResult;
import dev.jobengine.Engine;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.WorkerLostException;
import dev.jobengine.test.JobEngineExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Workers killed with SIGKILL: the task fails with WorkerLostException, nothing else is lost. */
@ExtendWith(JobEngineExtension.class)
class WorkerFaultsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private Engine engine;

  @Test
  void aWorkerKilledMidTaskFailsThatTaskQuicklyAndIsReplaced() throws Exception {
    Pool pool = engine.pool(2);
    String file = dir.resolve("pid").toString();
    AsyncResult<Integer> doomed = pool.applyAsync(() -> PidFile.announceAndRun(file));
    long victim = PidFile.await(Path.of(file));

    long killedAt = System.nanoTime();
    Processes.kill(victim);
    assertThatThrownBy(() -> doomed.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(WorkerLostException.class)
        .hasMessageContaining("pid " + victim)
        .hasMessageContaining("SIGKILL");
    double millis = (System.nanoTime() - killedAt) / 1e6;
    System.out.printf("WorkerLostException %.1f ms after SIGKILL%n", millis);
    assertThat(millis).as("failure reported within a second").isLessThan(1000);

    assertThat(Processes.await(WAIT, () -> pool.workerPids().size() == 2 && !pool.workerPids().contains(victim)))
        .as("a replacement worker is started").isTrue();
    List<Integer> results = pool.map((Integer x) -> x + 1, List.of(1, 2, 3, 4, 5, 6), 1);
    assertThat(results).containsExactly(2, 3, 4, 5, 6, 7);
  }

  @Test
  void tasksQueuedInAKilledWorkerAreNotLost() throws Exception {
    Pool pool = engine.pool(PoolOptions.builder().workers(1).prefetch(4).build());
    String file = dir.resolve("pid").toString();
    AsyncResult<Integer> doomed = pool.applyAsync(() -> PidFile.announceAndRun(file));
    List<AsyncResult<Integer>> behind = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int x = i;
      behind.add(pool.applyAsync(() -> x * 10));
    }
    Processes.kill(PidFile.await(Path.of(file)));
    assertThatThrownBy(() -> doomed.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .cause().isInstanceOf(WorkerLostException.class);
    for (int i = 0; i < 6; i++) {
      assertThat(behind.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(i * 10);
    }
  }

  @Test
  void aTaskThatKillsItsOwnWorkerAgainAndAgainDoesNotBreakThePool() throws Exception {
    Pool pool = engine.pool(2);
    for (int i = 0; i < 3; i++) {
      AsyncResult<Object> r = pool.applyAsync(() -> {
        new ProcessBuilder("kill", "-KILL", Long.toString(ProcessHandle.current().pid())).start().waitFor();
        return null;
      });
      assertThatThrownBy(() -> r.get(WAIT.toSeconds(), TimeUnit.SECONDS))
          .cause().isInstanceOf(WorkerLostException.class);
    }
    assertThat(pool.apply(() -> "alive")).isEqualTo("alive");
    pool.close();
    assertThat(pool.join(WAIT)).isTrue();
  }

  @Test
  void workersThatCannotStartBreakThePoolWithAClearError() throws Exception {
    Pool pool = engine.pool(PoolOptions.builder().workers(1).jvmOptions(List.of("-XX:+NoSuchJvmFlagAtAll")).build());
    AsyncResult<Integer> r = pool.applyAsync(() -> 1);
    assertThatThrownBy(() -> r.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(WorkerLostException.class)
        .hasMessageContaining("fail to start")
        .hasMessageContaining("exited with status 1")
        .hasMessageContaining("the last lines of its stderr")
        .hasMessageContaining("Unrecognized VM option 'NoSuchJvmFlagAtAll'");
    assertThatThrownBy(() -> pool.applyAsync(() -> 2)).isInstanceOf(IllegalStateException.class);
    pool.terminate();
    assertThat(pool.join(WAIT)).isTrue();
  }
}

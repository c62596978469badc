package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.AsyncResult;
import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.SharedLock;
import dev.jobengine.WorkerLostException;
import dev.jobengine.test.JobEngineExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Workers and processes that stop answering (SIGSTOP) are noticed, killed and replaced. */
@ExtendWith(JobEngineExtension.class)
class LivenessIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private Engine engine;

  static void signal(String signal, long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + signal + " " + pid).isTrue();
  }

  @Test
  void aStoppedWorkerIsKilledItsTaskFailsAndItsQueuedTasksRunElsewhere() throws Exception {
    Pool pool = engine.pool(PoolOptions.builder().workers(2).prefetch(20).livenessTimeout(Duration.ofSeconds(1)).build());
    Path file = dir.resolve("pid");
    String f = file.toString();
    AsyncResult<Integer> stuck = pool.applyAsync(() -> PidFile.announceAndRun(f));
    long victim = PidFile.await(file);
    List<AsyncResult<Integer>> queued = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int n = i;
      queued.add(pool.applyAsync(() -> n));
    }
    signal("STOP", victim);
    long stoppedAt = System.nanoTime();

    assertThatThrownBy(() -> stuck.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(WorkerLostException.class)
        .hasMessageContaining("pid " + victim)
        .hasMessageContaining("did not answer");
    System.out.printf("a stopped worker noticed and its task failed %.0f ms after SIGSTOP%n", (System.nanoTime() - stoppedAt) / 1e6);
    for (int i = 0; i < 40; i++) {
      assertThat(queued.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(i);
    }
    assertThat(Processes.await(WAIT, () -> pool.workerPids().size() == 2 && !pool.workerPids().contains(victim)))
        .as("replaced").isTrue();
  }

  @Test
  void aStoppedProcessHoldingALockIsKilledAndTheLockGivenBack() throws Exception {
    SharedLock lock = engine.lock("held");
    Path file = dir.resolve("pid");
    String f = file.toString();
    EngineProcess p = engine.process(() -> {
      lock.lock();
      PidFile.announceAndRun(f);
    }).start();
    long pid = PidFile.await(file);
    assertThat(lock.acquire(Duration.ZERO)).isFalse();
    signal("STOP", pid);

    assertThat(lock.acquire(WAIT)).as("the lock comes back once the process is found silent").isTrue();
    lock.release();
    assertThat(p.join(WAIT)).isTrue();
    assertThat(p.exitCode()).hasValue(-9);
  }

}

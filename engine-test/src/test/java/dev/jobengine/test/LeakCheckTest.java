package dev.jobengine.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.Pool;
import dev.jobengine.SharedEvent;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;

/** Sample tests that leave processes behind or hang the engine's close, and how they fail. */
@Timeout(60)
class LeakCheckTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String WORKER_MAIN = "dev.jobengine.worker.WorkerMain";
  /** The pid each sample wants checked afterwards; -1 until one runs. */
  static final AtomicLong samplePid = new AtomicLong(-1);

  @ExtendWith(JobEngineExtension.class)
  @EnabledIf("dev.jobengine.test.SampleRunner#running")
  static class Samples {
    @Test
    void clean(Engine engine) throws Exception {
      try (Pool pool = engine.pool(1)) {
        samplePid.set(pool.apply(() -> ProcessHandle.current().pid()));
      }
    }

    /** A task starts a process of its own and leaves it running when its worker ends. */
    @Test
    void grandchild(Engine engine) throws Exception {
      Pool pool = engine.pool(1);
      samplePid.set(pool.apply(() -> new ProcessBuilder("sleep", "60").start().pid()));
    }

    /** A worker stopped and never resumed: the extension resumes it so the engine can close it. */
    @Test
    void leftStopped(Engine engine, Faults faults) throws Exception {
      Pool pool = engine.pool(1);
      long pid = pool.apply(() -> ProcessHandle.current().pid());
      samplePid.set(faults.stop(pid).pid());
    }

    /** A non-daemon process that never ends: close waits for it for ever. */
    @Test
    @EngineSettings(shutdownTimeoutMillis = 200, closeTimeoutMillis = 1000)
    void hangingClose(Engine engine) throws Exception {
      SharedEvent never = engine.event("never");
      SharedEvent started = engine.event("started");
      EngineProcess p = engine.process(() -> {
        started.set();
        never.await();
      }).name("never-ending").start();
      assertThat(started.await(WAIT)).isTrue();
      samplePid.set(p.pid());
    }
  }

  @Test
  void aWorkerLeftStoppedIsResumedAndTheEngineClosesCleanly() {
    samplePid.set(-1);
    TestExecutionResult result = SampleRunner.run(Samples.class, "leftStopped", "dev.jobengine.Engine, dev.jobengine.test.Faults");
    assertThat(result.getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    assertThat(samplePid.get()).isPositive();
    assertThat(gone(samplePid.get())).isTrue();
  }

  private static TestExecutionResult runSample(String method) {
    samplePid.set(-1);
    TestExecutionResult result = SampleRunner.run(Samples.class, method, "dev.jobengine.Engine");
    assertThat(samplePid.get()).as("the sample got as far as its pid").isPositive();
    return result;
  }

  private static String failureOf(TestExecutionResult result) {
    assertThat(result.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
    return result.getThrowable().orElseThrow().getMessage();
  }

  private static boolean gone(long pid) {
    return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
  }

  @Test
  void aTestThatLeavesNothingBehindPasses() {
    assertThat(runSample("clean").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    assertThat(gone(samplePid.get())).isTrue();
  }

  @Test
  void aProcessStartedByATaskIsKilledAndNamed() {
    String failure = failureOf(runSample("grandchild"));
    assertThat(failure)
        .contains("grandchild", "still running after the engine closed, killed: pid " + samplePid.get(), "sleep 60");
    assertThat(gone(samplePid.get())).isTrue();
  }

  @Test
  void aCloseThatHangsFailsTheTestAndTheProcessItWaitsForIsKilledAndNamed() {
    String failure = failureOf(runSample("hangingClose"));
    assertThat(failure)
        .contains("engine.close() did not return within 1000 ms", "EngineImpl.close")
        .contains("still running after the engine closed, killed: pid " + samplePid.get(), WORKER_MAIN)
        .doesNotContain(System.getProperty("java.class.path"));
    assertThat(gone(samplePid.get())).isTrue();
  }
}

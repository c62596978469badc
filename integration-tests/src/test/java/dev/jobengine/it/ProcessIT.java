package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.SharedEvent;
import dev.jobengine.test.JobEngineExtension;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** EngineProcess: Python's Process life cycle, with real JVMs. */
@ExtendWith(JobEngineExtension.class)
class ProcessIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private Engine engine;

  @Test
  void aProcessRunsItsJobAndExitsWithZero() throws Exception {
    SharedEvent ran = engine.event("ran");
    EngineProcess p = engine.process(() -> ran.set()).name("setter");
    assertThat(p.pid()).isEqualTo(-1);
    assertThat(p.exitCode()).isEmpty();
    assertThat(p.name()).isEqualTo("setter");
    assertThat(p.isDaemon()).isFalse();
    p.start();
    assertThat(p.pid()).isPositive().isNotEqualTo(ProcessHandle.current().pid());
    assertThat(p.join(WAIT)).isTrue();
    assertThat(p.isAlive()).isFalse();
    assertThat(p.exitCode()).isEqualTo(OptionalInt.of(0));
    assertThat(ran.isSet()).isTrue();
    assertThatThrownBy(p::start).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> p.name("other")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aProcessTakesItsJvmOptionsAndClassPath() throws Exception {
    dev.jobengine.SharedQueue<String> seen = engine.queue("process-options");
    EngineProcess p = engine.process(
        () -> Engine.current().<String>queue("process-options").put(System.getProperty("jobengine.test.marker")),
        dev.jobengine.PoolOptions.builder()
            .jvmOptions(java.util.List.of("-Djobengine.test.marker=set-for-this-process", "-Xmx64m"))
            .classPath(System.getProperty("java.class.path"))
            .build()).start();
    assertThat(seen.take()).isEqualTo("set-for-this-process");
    assertThat(p.join(java.time.Duration.ofSeconds(60))).isTrue();
    assertThat(p.exitCode()).hasValue(0);
  }

  @Test
  void aJobThatThrowsExitsWithOne() throws Exception {
    EngineProcess p = engine.process(() -> {
      throw new IllegalStateException("job failed on purpose (expected by the test)");
    }).start();
    p.join();
    assertThat(p.exitCode()).isEqualTo(OptionalInt.of(1));
  }

  @Test
  void terminateAndKillGiveMinusTheSignal() throws Exception {
    SharedEvent never = engine.event("never");
    EngineProcess t = engine.process(() -> never.await()).start();
    EngineProcess k = engine.process(() -> never.await()).start();
    assertThat(t.isAlive()).isTrue();
    assertThat(t.join(Duration.ofMillis(200))).isFalse();
    t.terminate();
    k.kill();
    assertThat(t.join(WAIT)).isTrue();
    assertThat(k.join(WAIT)).isTrue();
    assertThat(t.exitCode()).isEqualTo(OptionalInt.of(-15));
    assertThat(k.exitCode()).isEqualTo(OptionalInt.of(-9));
  }

  @Test
  void closeKillsDaemonsAndWaitsForTheOthers() throws Exception {
    SharedEvent never = engine.event("never");
    SharedEvent go = engine.event("go");
    EngineProcess daemon = engine.process(() -> never.await()).daemon(true).start();
    EngineProcess worker = engine.process(() -> {
      go.await();
      Thread.sleep(300); // still working when the master closes
    }).start();
    go.set();
    engine.close();
    assertThat(daemon.isAlive()).isFalse();
    assertThat(daemon.exitCode()).isEqualTo(OptionalInt.of(-9));
    assertThat(worker.exitCode()).as("the non-daemon process was waited for").isEqualTo(OptionalInt.of(0));
  }

  @Test
  void aProcessThatIsNeverJoinedIsStillReaped() throws Exception {
    EngineProcess p = engine.process(() -> { }).start();
    long pid = p.pid();
    assertThat(Processes.await(WAIT, () -> Processes.isGone(pid) && !Processes.isZombie(pid)))
        .as("the process exits and is reaped without a join").isTrue();
  }
}

package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.Pool;
import dev.jobengine.PoolOptions;
import dev.jobengine.SharedEvent;
import dev.jobengine.test.EngineSettings;
import dev.jobengine.test.JobEngineExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** EngineOptions.standbyWorkers: JVMs started ahead of need, adopted by pools and processes. */
@ExtendWith(JobEngineExtension.class)
@EngineSettings(standbyWorkers = 2)
class StandbyWorkersIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private Engine engine;

  /** The live JVMs this test's engine started. */
  private static Set<Long> children() {
    return ProcessHandle.current().children()
        .filter(p -> !Processes.isGone(p.pid()))
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  private static Set<Long> awaitChildren(int n) {
    assertThat(Processes.await(WAIT, () -> children().size() == n))
        .as("%d worker JVMs running (now %s)", n, children())
        .isTrue();
    return children();
  }

  @Test
  void aPoolAdoptsTheStandbyWorkersAndTheyAreReplaced() throws Exception {
    Set<Long> standby = awaitChildren(2);

    Pool pool = engine.pool(2);
    assertThat(Processes.await(WAIT, () -> pool.workerPids().size() == 2)).as("both connected").isTrue();
    assertThat(pool.workerPids()).containsExactlyInAnyOrderElementsOf(standby);
    Set<Long> ran = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      ran.add(pool.applyAsync(() -> ProcessHandle.current().pid()).get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }
    assertThat(standby).containsAll(ran);

    Set<Long> all = awaitChildren(4); // two replacements started
    all.removeAll(standby);
    pool.close();
    assertThat(pool.join(WAIT)).isTrue();
    assertThat(Processes.await(WAIT, () -> standby.stream().allMatch(Processes::isGone))).isTrue();
    assertThat(children()).isEqualTo(all);
  }

  @Test
  void aProcessAdoptsOneAndRunsItsJobAsAProcess() throws Exception {
    Set<Long> standby = awaitChildren(2);
    SharedEvent ran = engine.event("ran");

    EngineProcess ok = engine.process(ran::set).name("standby-ok").start();
    EngineProcess failing = engine.process(() -> {
      throw new IllegalStateException("job failed on purpose (expected by the test)");
    }).name("standby-failing").start();

    assertThat(standby).containsExactlyInAnyOrder(ok.pid(), failing.pid());
    assertThat(ok.join(WAIT)).isTrue();
    assertThat(failing.join(WAIT)).isTrue();
    assertThat(ok.exitCode()).isEqualTo(OptionalInt.of(0));
    assertThat(ran.isSet()).isTrue();
    // a pool worker would have reported the failure and exited with 0: this one knew it was a process
    assertThat(failing.exitCode()).isEqualTo(OptionalInt.of(1));
  }

  @Test
  void aPoolWithOtherJvmSettingsStartsItsOwnWorkers() throws Exception {
    Set<Long> standby = awaitChildren(2);

    Pool pool = engine.pool(PoolOptions.builder().workers(1).output(PoolOptions.Output.DISCARD).build());
    long pid = pool.apply(() -> ProcessHandle.current().pid());

    assertThat(standby).doesNotContain(pid);
    assertThat(children()).containsAll(standby);
    pool.terminate();
    assertThat(pool.join(WAIT)).isTrue();
  }

  @Test
  void aStandbyWorkerKilledIsReplacedAndAPoolStillStarts() throws Exception {
    Set<Long> standby = awaitChildren(2);
    long victim = standby.iterator().next();
    Processes.kill(victim);
    assertThat(Processes.await(WAIT, () -> Processes.isGone(victim))).isTrue();
    Set<Long> now = awaitChildren(2);
    assertThat(now).doesNotContain(victim);

    Pool pool = engine.pool(2);
    List<Integer> out = pool.map(x -> x * 2, List.of(1, 2, 3, 4, 5, 6));
    assertThat(out).containsExactly(2, 4, 6, 8, 10, 12);
    pool.terminate();
    assertThat(pool.join(WAIT)).isTrue();
  }

  @Test
  void aWorkerAdoptedAndThenKilledFailsItsTaskAndIsReplaced() throws Exception {
    awaitChildren(2);
    Pool pool = engine.pool(1);
    long pid = pool.apply(() -> ProcessHandle.current().pid());
    SharedEvent started = engine.event("started");
    var running = pool.applyAsync(() -> {
      started.set();
      Thread.sleep(60_000);
      return 0;
    });
    assertThat(started.await(WAIT)).isTrue();
    Processes.kill(pid);

    assertThat(running.await(WAIT)).isTrue();
    assertThat(running.successful()).isFalse();
    assertThat(pool.apply(() -> ProcessHandle.current().pid())).isNotEqualTo(pid);
    pool.terminate();
    assertThat(pool.join(WAIT)).isTrue();
  }

  @Test
  void closingTheEngineEndsTheStandbyWorkers() {
    Set<Long> standby = awaitChildren(2);
    engine.close();
    assertThat(standby).allMatch(Processes::isGone);
  }
}

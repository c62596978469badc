package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.Engine;
import dev.jobengine.bench.Chaos;
import dev.jobengine.test.JobEngineExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pool under repeated SIGKILLs of random workers (one every 300 ms, 12 in all), connected or
 * still starting: it stays usable,
 * no outcome is delivered twice, a kill fails at most the task it hit, and the pool is back to
 * full size after. The benchmarks module runs the same scenario longer ({@code Chaos.main}).
 */
@ExtendWith(JobEngineExtension.class)
class ChaosIT {
  @Test
  void aPoolSurvivesAWorkerKilledEveryFewHundredMilliseconds(Engine engine) throws Exception {
    Chaos.Report r = Chaos.run(engine, 3, 300, Duration.ofMillis(10), Duration.ofMillis(300), 12, 0, 7);
    System.out.println("chaos without retries: " + r);
    assertThat(r.kills()).as("kills").isPositive();
    assertThat(r.duplicates()).as("duplicates").isZero();
    assertThat(r.wrongValues()).as("wrong values").isZero();
    assertThat(r.otherFailures()).as("failures other than a lost worker").isZero();
    assertThat(r.succeeded() + r.lost()).isEqualTo(r.tasks());
    assertThat(r.lost()).as("a kill fails at most the task it hit").isLessThanOrEqualTo(r.kills());
    assertThat(r.backToFullSize()).as("back to full size").isTrue();
  }

  @Test
  void withRetriesNoTaskIsLost(Engine engine) throws Exception {
    Chaos.Report r = Chaos.run(engine, 3, 300, Duration.ofMillis(10), Duration.ofMillis(300), 12, 20, 11);
    System.out.println("chaos with retries: " + r);
    assertThat(r.duplicates()).as("duplicates").isZero();
    assertThat(r.wrongValues()).as("wrong values").isZero();
    assertThat(r.succeeded()).as("every task succeeded").isEqualTo(r.tasks());
    assertThat(r.retried()).as("tasks run again").isLessThanOrEqualTo(r.kills());
    assertThat(r.backToFullSize()).as("back to full size").isTrue();
  }
}

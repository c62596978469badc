package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.Engine;
import dev.jobengine.examples.Examples;
import org.junit.jupiter.api.Test;

/** Each classic scenario of the examples module, run as its command runs it, with its outcome checked. */
class ExamplesIT {
  private static String run(String name) throws Exception {
    try (Engine engine = Engine.start()) {
      return Examples.ALL.get(name).run(engine);
    }
  }

  @Test
  void producersAndConsumersWithASentinelPerConsumer() throws Exception {
    assertThat(run("producer-consumer")).startsWith("100 of 100 items consumed, queue left with 0");
  }

  @Test
  void joinableQueueWithDaemonConsumers() throws Exception {
    assertThat(run("joinable-queue")).isEqualTo("join() returned with 60 of 60 items done");
  }

  @Test
  void aCounterFileUnderALockLosesNoUpdate() throws Exception {
    assertThat(run("locked-counter")).isEqualTo("counter = 200 (expected 200)");
  }

  @Test
  void ktvNeverHasMoreThanFourGuestsSinging() throws Exception {
    String s = run("ktv");
    assertThat(s).startsWith("10 guests sang").endsWith("free rooms now 4");
    int most = Integer.parseInt(s.replaceAll(".*at most (\\d+) at once.*", "$1"));
    assertThat(most).isBetween(1, 4);
  }

  @Test
  void carsPassOnlyOnGreen() throws Exception {
    String s = run("traffic-light");
    assertThat(s).startsWith("6 of 6 cars passed").doesNotContain("passed on red");
  }

  @Test
  void poolTasksCollectResultsInASharedList() throws Exception {
    assertThat(run("shared-list")).startsWith("20 results in the shared list");
  }

  @Test
  void squaresComeBackThroughAPipeAndThenItsEnd() throws Exception {
    assertThat(run("pipe"))
        .isEqualTo("10 squares came back: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]; then the pipe was closed");
  }
}

package dev.jobengine.master.internal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartGateTest {
  private final List<String> ran = new ArrayList<>();
  private final StartGate gate = new StartGate(2);

  private Runnable launch(String name) {
    return () -> ran.add(name);
  }

  @Test
  void upToTheLimitRunAtOnceTheRestInOrderAsPlacesFree() {
    gate.enter(launch("a"));
    gate.enter(launch("b"));
    gate.enter(launch("c"));
    gate.enter(launch("d"));
    assertThat(ran).containsExactly("a", "b");
    assertThat(gate.waiting()).isEqualTo(2);

    gate.leave(); // a connected: c takes its place
    assertThat(ran).containsExactly("a", "b", "c");
    assertThat(gate.starting()).isEqualTo(2);

    gate.leave();
    gate.leave();
    assertThat(ran).containsExactly("a", "b", "c", "d");
    assertThat(gate.starting()).isEqualTo(1);
    assertThat(gate.waiting()).isZero();

    gate.leave();
    gate.enter(launch("e"));
    assertThat(ran).endsWith("e");
  }

  @Test
  void aLaunchThatDoesNotWaitHoldsAPlace() {
    gate.enterNow();
    gate.enterNow();
    gate.enterNow(); // past the limit: it never waits
    gate.enter(launch("a"));
    assertThat(ran).isEmpty();

    gate.leave();
    assertThat(ran).isEmpty(); // still two starting
    gate.leave();
    assertThat(ran).containsExactly("a");
  }

  @Test
  void aLaunchThatLeavesAtOnceLetsTheNextGo() {
    gate.enter(launch("a"));
    gate.enter(launch("b"));
    gate.enter(() -> {
      ran.add("c");
      gate.leave(); // its fork failed: the place is d's
    });
    gate.enter(launch("d"));

    gate.leave();
    assertThat(ran).containsExactly("a", "b", "c", "d");
    assertThat(gate.starting()).isEqualTo(2);
  }

  @Test
  void theLimitIsPositive() {
    assertThatThrownBy(() -> new StartGate(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
  }
}

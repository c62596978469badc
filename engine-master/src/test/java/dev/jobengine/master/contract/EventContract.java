package dev.jobengine.master.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.SharedBarrier;
import dev.jobengine.SharedEvent;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** {@link SharedEvent} and {@link SharedBarrier}, as one process sees them. */
public interface EventContract extends SharedObjectContract {
  Duration SHORT = Duration.ofMillis(50);

  @Test
  default void eventWaitsUntilSet() throws Exception {
    run((engine, p) -> {
      SharedEvent e = engine.event(p + "e");
      assertThat(e.isSet()).isFalse();
      assertThat(e.await(SHORT)).isFalse();
      e.set();
      assertThat(e.isSet()).isTrue();
      assertThat(e.await(SHORT)).isTrue();
      e.await();
      e.clear();
      assertThat(e.await(SHORT)).isFalse();
    });
  }

  @Test
  default void barrierTripsForItsPartiesAndBreaksWhenOneGivesUp() throws Exception {
    run((engine, p) -> {
      SharedBarrier one = engine.barrier(p + "one", 1);
      assertThat(one.await(SHORT)).isZero();
      assertThat(one.await(SHORT)).as("cyclic").isZero();
      SharedBarrier two = engine.barrier(p + "two", 2);
      assertThatThrownBy(() -> two.await(SHORT)).isInstanceOf(TimeoutException.class);
      assertThatThrownBy(() -> two.await(SHORT)).isInstanceOf(BrokenBarrierException.class);
      assertThatThrownBy(() -> engine.barrier(p + "zero", 0)).isInstanceOf(IllegalArgumentException.class);
    });
  }
}

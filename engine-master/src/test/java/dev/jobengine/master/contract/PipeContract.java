package dev.jobengine.master.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.Connection;
import dev.jobengine.Pipe;
import dev.jobengine.PipeClosedException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** {@link Pipe}, as one process holding both ends sees it. */
public interface PipeContract extends SharedObjectContract {
  Duration SHORT = Duration.ofMillis(50);

  @Test
  default void pipeCarriesBothWaysInOrder() throws Exception {
    run((engine, p) -> {
      Pipe<Integer> pipe = engine.pipe(p + "p");
      Connection<Integer> left = pipe.left();
      Connection<Integer> right = pipe.right();
      assertThat(left.poll(SHORT)).isFalse();
      for (int i = 0; i < 100; i++) {
        left.send(i);
      }
      right.send(-1);
      assertThat(right.poll(SHORT)).isTrue();
      for (int i = 0; i < 100; i++) {
        assertThat(right.recv()).isEqualTo(i);
      }
      assertThat(left.recv(SHORT)).isEqualTo(-1);
      assertThatThrownBy(() -> left.recv(SHORT)).isInstanceOf(TimeoutException.class).hasMessageContaining(p + "p");
      assertThat(engine.<Integer>pipe(p + "p").left()).isEqualTo(left);
      assertThatThrownBy(() -> left.send(null)).isInstanceOf(NullPointerException.class);
    });
  }

  @Test
  default void aClosedEndRefusesItsProcessAndItsPeerDrainsThenGetsTheEnd() throws Exception {
    run((engine, p) -> {
      Pipe<String> pipe = engine.pipe(p + "p");
      Connection<String> left = pipe.left();
      Connection<String> right = pipe.right();
      left.send("one");
      left.send("two");
      left.close();
      left.close(); // idempotent
      assertThatThrownBy(() -> left.send("three")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
      assertThatThrownBy(() -> left.recv(SHORT)).isInstanceOf(IllegalStateException.class);
      assertThat(right.recv()).isEqualTo("one");
      assertThat(right.recv()).isEqualTo("two");
      assertThat(right.poll(SHORT)).as("ready: recv would not wait").isTrue();
      assertThatThrownBy(right::recv).isInstanceOf(PipeClosedException.class);
      assertThatThrownBy(() -> right.recv(SHORT)).isInstanceOf(PipeClosedException.class);
    });
  }

  @Test
  default void sendingToAClosedEndFailsAtTheLatestOnTheNextSend() throws Exception {
    run((engine, p) -> {
      Pipe<String> pipe = engine.pipe(p + "p");
      Connection<String> left = pipe.left();
      Connection<String> right = pipe.right();
      left.send("held");
      assertThat(right.recv()).isEqualTo("held");
      right.close();
      try {
        left.send("into the void"); // from a worker this may return before the master refuses it
      } catch (PipeClosedException refusedAtOnce) {
        // from the master
      }
      left.poll(Duration.ZERO); // the master's answer to the send comes before this one's
      assertThatThrownBy(() -> left.send("again")).isInstanceOf(PipeClosedException.class).hasMessageContaining("closed");
    });
  }
}

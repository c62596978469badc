package dev.jobengine.master.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.JoinableQueue;
import dev.jobengine.SharedQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** {@link SharedQueue} and {@link JoinableQueue}, as one process sees them. */
public interface QueueContract extends SharedObjectContract {
  Duration SHORT = Duration.ofMillis(50);

  @Test
  default void queueIsFirstInFirstOut() throws Exception {
    run((engine, p) -> {
      SharedQueue<Integer> q = engine.queue(p + "q");
      for (int i = 0; i < 100; i++) {
        q.put(i);
      }
      assertThat(q.size()).isEqualTo(100);
      assertThat(q.peek()).isEqualTo(0);
      for (int i = 0; i < 50; i++) {
        assertThat(q.take()).isEqualTo(i);
      }
      assertThat(q.poll()).isEqualTo(50);
      assertThat(q.get(SHORT)).isEqualTo(51);
      List<Integer> rest = new ArrayList<>();
      assertThat(q.drainTo(rest, 10)).isEqualTo(10);
      assertThat(rest).startsWith(52).endsWith(61);
      assertThat(q).startsWith(62).hasSize(38);
      q.clear();
      assertThat(q.isEmpty()).isTrue();
    });
  }

  @Test
  default void queueWaitsAreBoundedAndSayWhatTheyWaitedFor() throws Exception {
    run((engine, p) -> {
      SharedQueue<String> q = engine.queue(p + "empty");
      assertThat(q.poll()).isNull();
      assertThat(q.poll(50, TimeUnit.MILLISECONDS)).isNull();
      assertThatThrownBy(() -> q.get(SHORT)).isInstanceOf(TimeoutException.class).hasMessageContaining(p + "empty");
      assertThatThrownBy(q::getNowait).isInstanceOf(NoSuchElementException.class);
      SharedQueue<String> full = engine.queue(p + "full", 1);
      full.put("a");
      assertThat(full.isFull()).isTrue();
      assertThat(full.remainingCapacity()).isZero();
      assertThat(full.offer("b")).isFalse();
      assertThat(full.offer("b", 50, TimeUnit.MILLISECONDS)).isFalse();
      assertThatThrownBy(() -> full.putNowait("b")).isInstanceOf(IllegalStateException.class).hasMessageContaining("full");
      assertThat(full.take()).isEqualTo("a");
      assertThat(full.offer("c")).isTrue();
    });
  }

  @Test
  default void queueRefusesNullsAClosedHandleAndAnotherKindOrSize() throws Exception {
    run((engine, p) -> {
      SharedQueue<String> q = engine.queue(p + "q", 5);
      assertThatThrownBy(() -> q.put(null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> engine.queue(p + "q", 6)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> engine.lock(p + "q")).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> engine.queue(p + "bad", -1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> engine.queue(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("name");
      assertThat(engine.<String>queue(p + "q", 5)).isEqualTo(q);
      q.close();
      assertThatThrownBy(() -> q.put("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
      assertThatThrownBy(() -> q.drainTo(q)).isInstanceOf(IllegalArgumentException.class);
    });
  }

  @Test
  default void joinableQueueJoinsOnceEveryItemIsDone() throws Exception {
    run((engine, p) -> {
      JoinableQueue<Integer> q = engine.joinableQueue(p + "j");
      assertThat(q.join(SHORT)).as("nothing unfinished").isTrue();
      q.put(1);
      q.put(2);
      assertThat(q.join(SHORT)).isFalse();
      assertThat(q.take()).isEqualTo(1);
      q.taskDone();
      assertThat(q.join(SHORT)).isFalse();
      assertThat(q.take()).isEqualTo(2);
      q.taskDone();
      assertThat(q.join(Duration.ofSeconds(10))).isTrue();
      assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class);
      SharedQueue<Integer> plain = engine.queue(p + "plain");
      assertThatThrownBy(() -> ((JoinableQueue<Integer>) plain).taskDone()).isInstanceOf(IllegalStateException.class);
    });
  }
}

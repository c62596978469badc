package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.Engine;
import dev.jobengine.EngineProcess;
import dev.jobengine.Pool;
import dev.jobengine.SharedEvent;
import dev.jobengine.SharedMap;
import dev.jobengine.SharedQueue;
import dev.jobengine.SharedSemaphore;
import dev.jobengine.test.JobEngineExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker's puts into an unbounded queue travel in batches (those made while the last batch is
 * unacknowledged go together): with real worker processes, every put is in the queue before any
 * later call of its process is performed, in its order, and a killed producer leaves a prefix of
 * its puts.
 */
@ExtendWith(JobEngineExtension.class)
@Timeout(180)
class QueueBatchingIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private Engine engine;

  @Test
  void aConsumerThatSeesAProducersSignalFindsEveryItemPutBeforeIt() throws Exception {
    SharedQueue<Long> q = engine.queue("bursts");
    SharedSemaphore[] signals = {engine.semaphore("burst-0", 0), engine.semaphore("burst-1", 0)};
    SharedMap<String, String> failures = engine.map("burst-failures");
    SharedEvent done = engine.event("burst-done");
    int rounds = 15;
    EngineProcess consumer = engine.process(() -> {
      long[] seen = new long[2]; // per producer: items taken, which are also the next one expected
      long[] signalled = new long[2];
      for (int r = 1; r <= rounds; r++) {
        for (int p = 0; p < 2; p++) {
          if (!signals[p].tryAcquire(Duration.ofSeconds(60))) {
            failures.put("missing", "no signal from producer " + p + " in round " + r);
            done.set();
            return;
          }
          signalled[p] += 300L * r;
          while (seen[p] < signalled[p]) {
            Long v = q.poll(); // never waits: what was put before the signal must be here
            if (v == null) {
              failures.put("missing", "producer " + p + " round " + r + ": " + seen[p] + " of " + signalled[p]);
              done.set();
              return;
            }
            int from = (int) (v >>> 32);
            long i = v & 0xffffffffL;
            if (i != seen[from]) {
              failures.put("order", "producer " + from + ": got " + i + " expecting " + seen[from]);
            }
            seen[from]++;
          }
        }
      }
      done.set();
    }).start();
    List<EngineProcess> producers = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      long tag = (long) p << 32;
      SharedSemaphore signal = signals[p];
      producers.add(engine.process(() -> {
        long next = 0;
        for (int r = 1; r <= rounds; r++) {
          for (int i = 0; i < 300 * r; i++) {
            q.put(tag | next++);
          }
          signal.release();
        }
      }).start());
    }
    assertThat(done.await(WAIT)).isTrue();
    for (EngineProcess p : producers) {
      assertThat(p.join(WAIT)).isTrue();
    }
    assertThat(consumer.join(WAIT)).isTrue();
    assertThat(failures).isEmpty();
    assertThat(consumer.exitCode()).hasValue(0);
    assertThat(q.size()).as("nothing more than was put").isZero();
  }

  @Test
  void aTasksPutsAreInTheQueueBeforeItsResultAndAProcesssBeforeItsExit() throws Exception {
    SharedQueue<Integer> q = engine.queue("before-result");
    try (Pool pool = engine.pool(1)) {
      for (int round = 0; round < 3; round++) {
        pool.apply(() -> {
          for (int i = 0; i < 5_000; i++) {
            q.put(i);
          }
          return null;
        });
        assertThat(q.size()).as("round %d", round).isEqualTo(5_000);
        List<Integer> got = new ArrayList<>();
        q.drainTo(got);
        assertThat(got).isSorted().hasSize(5_000).startsWith(0).endsWith(4_999);
      }
    }
    EngineProcess p = engine.process(() -> {
      for (int i = 0; i < 20_000; i++) {
        q.put(i);
      }
    }).start();
    assertThat(p.join(WAIT)).isTrue();
    assertThat(q.size()).as("performed before the process's exit was seen").isEqualTo(20_000);
  }

  @Test
  void aKilledProducerLeavesAPrefixOfItsPutsInOrder() throws Exception {
    SharedQueue<Integer> q = engine.queue("killed-producer");
    SharedEvent started = engine.event("killed-producer-started");
    EngineProcess producer = engine.process(() -> {
      for (int i = 0; ; i++) {
        q.put(i);
        if (i == 10_000) {
          started.set();
        }
      }
    }).start();
    assertThat(started.await(WAIT)).isTrue();
    producer.kill();
    assertThat(producer.join(WAIT)).isTrue();
    // whatever the master took of the dead producer's batches, it is 0, 1, 2, ... with no gap
    List<Integer> got = new ArrayList<>();
    q.drainTo(got);
    assertThat(got.size()).as("the puts before the event it saw").isGreaterThan(10_000);
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i)).isEqualTo(i);
    }
    List<Integer> late = new ArrayList<>();
    q.drainTo(late); // batches still being performed when the first drain ran continue the prefix
    for (int i = 0; i < late.size(); i++) {
      assertThat(late.get(i)).isEqualTo(got.size() + i);
    }
  }
}

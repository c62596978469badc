package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.AsyncResult;
import dev.jobengine.Engine;
import dev.jobengine.EngineOptions;
import dev.jobengine.Pool;
import dev.jobengine.RemoteTaskException;
import dev.jobengine.SharedMap;
import dev.jobengine.TaskSerializationException;
import dev.jobengine.test.EngineSettings;
import dev.jobengine.test.JobEngineExtension;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Serialization failures and payload sizes: a clear error for the bad task, nothing else harmed. */
@ExtendWith(JobEngineExtension.class)
class PayloadIT {
  @Test
  void payloadsFarAboveGrpcsDefaultLimitTravelBothWays(Engine engine) throws Exception {
    try (Pool pool = engine.pool(1)) {
      int nearLimit = (256 << 20) - 4096; // the default limit is 256 MiB of encoded payload
      byte[] big = new byte[nearLimit];
      big[big.length - 1] = 7;
      assertThat(pool.apply(() -> big.length + big[big.length - 1])).isEqualTo(nearLimit + 7);
      byte[] back = pool.apply(() -> {
        byte[] b = new byte[nearLimit];
        b[nearLimit - 1] = 9;
        return b;
      });
      assertThat(back).hasSize(nearLimit);
      assertThat(back[nearLimit - 1]).isEqualTo((byte) 9);
    }
  }

  @Test
  @EngineSettings(maxPayloadBytes = 1 << 20)
  void payloadsOverTheConfiguredLimitFailClearlyAndHarmNothing(Engine engine) throws Exception {
    try (Pool pool = engine.pool(1)) {
      byte[] tooBig = new byte[2 << 20];
      assertThatThrownBy(() -> pool.applyAsync(() -> tooBig.length))
          .isInstanceOf(TaskSerializationException.class)
          .hasMessageContaining("payload limit");
      assertThatThrownBy(() -> pool.applyAsync(() -> new byte[2 << 20]).get(60, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(TaskSerializationException.class)
          .hasMessageContaining("payload limit");
      assertThat(pool.apply(() -> "still fine")).isEqualTo("still fine");
    }
  }

  @Test
  void aTaskThatCannotBeSerializedThrowsFromTheSubmittingCall(Engine engine) throws Exception {
    try (Pool pool = engine.pool(1)) {
      Object notSerializable = new Object();
      assertThatThrownBy(() -> pool.applyAsync(() -> notSerializable.hashCode(), v -> { }, e -> { }))
          .isInstanceOf(TaskSerializationException.class)
          .hasMessageContaining("java.lang.Object");
      assertThatThrownBy(() -> pool.map((Object x) -> x, java.util.List.of(new Object())))
          .isInstanceOf(TaskSerializationException.class);
      assertThat(pool.apply(() -> 1)).isEqualTo(1);
    }
  }

  @Test
  void aResultThatCannotBeSerializedFailsThatTaskOnly(Engine engine) throws Exception {
    try (Pool pool = engine.pool(1)) {
      assertThatThrownBy(() -> pool.applyAsync(Thread::currentThread).get(60, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(TaskSerializationException.class)
          .hasMessageContaining("java.lang.Thread");
      assertThat(pool.apply(() -> 2)).isEqualTo(2);
    }
  }

  @Test
  void anExceptionWithAMessageOverTheLimitArrivesCutAndTheWorkerLivesOn() throws Exception {
    EngineOptions small = EngineOptions.builder().maxPayloadBytes(1 << 20).build();
    try (Engine engine = Engine.start(small); Pool pool = engine.pool(1)) {
      long pid = pool.apply(() -> ProcessHandle.current().pid());
      assertThatThrownBy(() -> pool.applyAsync(() -> {
            throw new IllegalStateException("m".repeat(2 << 20));
          }).get(60, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(RemoteTaskException.class, e -> {
            assertThat(e.remoteClassName()).isEqualTo("java.lang.IllegalStateException");
            assertThat(e.remoteMessage()).startsWith("mmmm").endsWith("more chars cut]").hasSizeLessThan(70_000);
            assertThat(e.remoteStackTrace()).contains("more chars cut]").hasSizeLessThan(70_000);
          });
      assertThat(pool.apply(() -> ProcessHandle.current().pid())).isEqualTo(pid);
    }
  }

  /** A class the allow-list below refuses. */
  record Refused(int n) implements Serializable {}

  /** Allowed: whatever is in this package, except {@link Refused}. */
  private static final String ALLOW_LIST = "!dev.jobengine.it.PayloadIT$Refused;dev.jobengine.it.*";

  @Test
  void aClassOutsideTheAllowListIsRefusedByTheMasterAndByWorkers() throws Exception {
    EngineOptions strict = EngineOptions.builder().allowedClasses(ALLOW_LIST).build();
    try (Engine engine = Engine.start(strict); Pool pool = engine.pool(1)) {
      assertThat(pool.apply(() -> java.util.List.of(1, "two"))).containsExactly(1, "two");
      assertThatThrownBy(() -> pool.applyAsync(() -> new Refused(1)).get(60, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(TaskSerializationException.class)
          .hasMessageContaining("class dev.jobengine.it.PayloadIT$Refused is not in EngineOptions.allowedClasses");

      SharedMap<Object, Integer> map = engine.map("refusing");
      assertThatThrownBy(() -> pool.apply(() -> Engine.current().<Object, Integer>map("refusing").put(new Refused(2), 2)))
          .isInstanceOf(RemoteTaskException.class)
          .hasMessageContaining("TaskSerializationException")
          .hasMessageContaining("dev.jobengine.it.PayloadIT$Refused");
      assertThat(map).isEmpty();

      Refused captured = new Refused(3); // the master encodes it; the worker refuses to decode it
      assertThatThrownBy(() -> pool.applyAsync(() -> captured.n()).get(60, TimeUnit.SECONDS))
          .cause()
          .isInstanceOf(TaskSerializationException.class)
          .hasMessageContaining("dev.jobengine.it.PayloadIT$Refused")
          .hasMessageContaining("in the worker");
      assertThat(pool.apply(() -> "still fine")).isEqualTo("still fine");
    }
  }

  /** Decoding one in the master blocks until {@link #RELEASE} opens. */
  static final class SlowToDecode implements Serializable {
    private static final long serialVersionUID = 1L;
    static final CountDownLatch DECODING = new CountDownLatch(1);
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      DECODING.countDown();
      try {
        RELEASE.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void aResultThatIsSlowToDecodeHoldsUpNoOtherPool() throws Exception {
    try (Engine engine = Engine.start(); Pool slow = engine.pool(1); Pool other = engine.pool(1)) {
      AsyncResult<SlowToDecode> blocked = slow.applyAsync(SlowToDecode::new, v -> { }, e -> { });
      assertThat(SlowToDecode.DECODING.await(60, TimeUnit.SECONDS)).isTrue(); // on slow's callback thread
      try {
        assertThat(other.apply(() -> "served")).isEqualTo("served");
        assertThat(other.map((Integer x) -> x + 1, java.util.List.of(1, 2, 3), 1)).containsExactly(2, 3, 4);
        assertThat(other.applyAsync(() -> 7, v -> { }).get(60, TimeUnit.SECONDS)).isEqualTo(7);
        assertThat(blocked.await(Duration.ofMillis(1))).isFalse();
      } finally {
        SlowToDecode.RELEASE.countDown();
      }
      assertThat(blocked.get(60, TimeUnit.SECONDS)).isNotNull();
    }
  }
}

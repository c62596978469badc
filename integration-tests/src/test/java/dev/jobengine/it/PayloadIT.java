package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.Engine;
import dev.jobengine.EngineOptions;
import dev.jobengine.Pool;
import dev.jobengine.RemoteTaskException;
import dev.jobengine.TaskSerializationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Serialization failures and payload sizes: a clear error for the bad task, nothing else harmed. */
class PayloadIT {
  @Test
  void payloadsFarAboveGrpcsDefaultLimitTravelBothWays() throws Exception {
    try (Engine engine = Engine.start(); Pool pool = engine.pool(1)) {
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
  void payloadsOverTheConfiguredLimitFailClearlyAndHarmNothing() throws Exception {
    EngineOptions small = EngineOptions.builder().maxPayloadBytes(1 << 20).build();
    try (Engine engine = Engine.start(small); Pool pool = engine.pool(1)) {
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
  void aTaskThatCannotBeSerializedThrowsFromTheSubmittingCall() throws Exception {
    try (Engine engine = Engine.start(); Pool pool = engine.pool(1)) {
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
  void aResultThatCannotBeSerializedFailsThatTaskOnly() throws Exception {
    try (Engine engine = Engine.start(); Pool pool = engine.pool(1)) {
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
}

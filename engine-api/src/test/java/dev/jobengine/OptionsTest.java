package dev.jobengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OptionsTest {
  /** A codec workers can create. */
  public static class PublicCodec extends JavaSerializationCodec {}

  /** A codec workers cannot create: its only constructor takes an argument. */
  public static class ConfiguredCodec extends JavaSerializationCodec {
    public ConfiguredCodec(int level) {}
  }

  private static void assertRejected(ThrowingCallable build, String field) {
    assertThatThrownBy(build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field);
  }

  @Test
  void engineDefaults() {
    EngineOptions o = EngineOptions.defaults();
    assertThat(o.maxPayloadBytes()).isEqualTo(256 * 1024 * 1024).isEqualTo(EngineOptions.DEFAULT_MAX_PAYLOAD_BYTES);
    assertThat(o.codec()).isExactlyInstanceOf(JavaSerializationCodec.class);
    assertThat(o.transport()).isEqualTo(EngineOptions.Transport.AUTO);
    assertThat(o.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.standbyWorkers()).isZero();
  }

  @Test
  void poolDefaults() {
    PoolOptions o = PoolOptions.builder().build();
    assertThat(o.prefetch()).isEqualTo(32);
    assertThat(o.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(o.output()).isEqualTo(PoolOptions.Output.INHERIT);
    assertThat(o.jvmOptions()).isEqualTo(PoolOptions.DEFAULT_JVM_OPTIONS);
    assertThat(o.startupTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.classPath()).as("found from the class loaders").isNull();
    assertThat(o.classLoader()).isNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void zeroOrFewerWorkersMeansAvailableProcessors(int workers) {
    assertThat(PoolOptions.builder().workers(workers).build().workers())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void buildersKeepValidValues() {
    PoolOptions pool = PoolOptions.builder().workers(3).prefetch(1).build();
    assertThat(pool.workers()).isEqualTo(3);
    assertThat(pool.prefetch()).isEqualTo(1);

    PublicCodec codec = new PublicCodec();
    EngineOptions engine = EngineOptions.builder().maxPayloadBytes(1024).codec(codec).standbyWorkers(64).build();
    assertThat(engine.maxPayloadBytes()).isEqualTo(1024);
    assertThat(engine.standbyWorkers()).isEqualTo(64);
    assertThat(engine.codec()).isSameAs(codec);
  }

  @Test
  void poolBuildRejectsBadValues() {
    assertRejected(() -> PoolOptions.builder().prefetch(0).build(), "prefetch");
    assertRejected(() -> PoolOptions.builder().workers(4097).build(), "workers");
    assertRejected(() -> PoolOptions.builder().startupTimeout(Duration.ZERO).build(), "startupTimeout");
  }

  @Test
  void engineBuildRejectsBadValues() {
    assertRejected(() -> EngineOptions.builder().maxPayloadBytes(10).build(), "maxPayloadBytes");
    assertRejected(
        () -> EngineOptions.builder().shutdownTimeout(Duration.ofSeconds(-1)).build(), "shutdownTimeout");
    assertRejected(() -> EngineOptions.builder().standbyWorkers(-1).build(), "standbyWorkers");
    assertRejected(() -> EngineOptions.builder().standbyWorkers(65).build(), "standbyWorkers");
  }

  @Test
  void engineBuildRejectsACodecWorkersCannotCreate() {
    assertRejected(
        () -> EngineOptions.builder().codec(new ConfiguredCodec(1)).build(), ConfiguredCodec.class.getName());
    assertRejected(() -> EngineOptions.builder().codec(new JavaSerializationCodec() {}).build(), "codec");
  }
}

package dev.jobengine.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.EngineOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What an {@link EngineSettings} annotation stands for, without starting an engine. */
class EngineSettingsTest {
  @EngineSettings
  static final class Defaults {}

  @EngineSettings(transport = EngineOptions.Transport.TCP, maxPayloadBytes = 4096, shutdownTimeoutMillis = 250,
      standbyWorkers = 3, closeTimeoutMillis = 1500)
  static final class Custom {}

  @EngineSettings(standbyWorkers = 65)
  static final class TooManyStandby {}

  @Test
  void theAnnotationsDefaultsAreTheEnginesDefaults() {
    EngineSettings settings = Defaults.class.getAnnotation(EngineSettings.class);
    EngineOptions options = JobEngineExtension.options(settings);
    EngineOptions defaults = EngineOptions.defaults();
    assertThat(options.transport()).isEqualTo(defaults.transport());
    assertThat(options.maxPayloadBytes()).isEqualTo(defaults.maxPayloadBytes());
    assertThat(options.codec()).hasSameClassAs(defaults.codec());
    assertThat(options.shutdownTimeout()).isEqualTo(defaults.shutdownTimeout());
    assertThat(options.standbyWorkers()).isEqualTo(defaults.standbyWorkers());
    assertThat(JobEngineExtension.closeTimeout(settings, options)).isEqualTo(defaults.shutdownTimeout().plusSeconds(10));
    assertThat(JobEngineExtension.closeTimeout(null, defaults)).isEqualTo(defaults.shutdownTimeout().plusSeconds(10));
  }

  @Test
  void everyAttributeReachesTheOptions() {
    EngineSettings settings = Custom.class.getAnnotation(EngineSettings.class);
    EngineOptions options = JobEngineExtension.options(settings);
    assertThat(options.transport()).isEqualTo(EngineOptions.Transport.TCP);
    assertThat(options.maxPayloadBytes()).isEqualTo(4096);
    assertThat(options.shutdownTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(options.standbyWorkers()).isEqualTo(3);
    assertThat(JobEngineExtension.closeTimeout(settings, options)).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void aBadValueFailsWithTheOptionsMessage() {
    assertThatThrownBy(() -> JobEngineExtension.options(TooManyStandby.class.getAnnotation(EngineSettings.class)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("standbyWorkers");
  }
}

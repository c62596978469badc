package dev.jobengine.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkerConfigTest {
  private final WorkerConfig config =
      new WorkerConfig("unix:/tmp/jobengine-1/hub.sock", 3, "dev.jobengine.JavaSerializationCodec",
          1 << 20, 4242L, true);

  @Test
  void parseReadsWhatToArgsWrites() {
    assertThat(WorkerConfig.parse(config.toArgs())).isEqualTo(config);
  }

  @Test
  void anAllowListTravelsAsItsOwnArgumentAndComesBackWhole() {
    WorkerConfig allowing = new WorkerConfig("tcp:127.0.0.1:4000", 1, "dev.jobengine.JavaSerializationCodec",
        1 << 20, 42L, false, "com.example.*;!com.example.Evil$1;java.util.**");
    assertThat(allowing.toArgs()).endsWith("--allowed-classes", "com.example.*;!com.example.Evil$1;java.util.**");
    assertThat(WorkerConfig.parse(allowing.toArgs())).isEqualTo(allowing);
    assertThat(config.toArgs()).doesNotContain("--allowed-classes");
    assertThat(WorkerConfig.parse(config.toArgs()).allowedClasses()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"hub", "id", "codec", "max-payload", "parent", "warm-up"})
  void aMissingArgumentIsNamed(String name) {
    List<String> args = new ArrayList<>(List.of(config.toArgs()));
    int at = args.indexOf("--" + name);
    args.subList(at, at + 2).clear();

    assertThatThrownBy(() -> WorkerConfig.parse(args.toArray(String[]::new)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--" + name);
  }

  @Test
  void anArgumentWithoutDashesIsRejected() {
    assertThatThrownBy(() -> WorkerConfig.parse(new String[] {"hub", "x"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hub");
  }
}

package dev.jobengine.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.Engine;
import dev.jobengine.EngineOptions;
import dev.jobengine.Pool;
import dev.jobengine.master.internal.EngineImpl;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** How tests get their engine: parameters, fields, {@code @BeforeEach}, settings, nested classes. */
@ExtendWith(JobEngineExtension.class)
@EngineSettings(transport = EngineOptions.Transport.UNIX)
@Timeout(60)
class JobEngineExtensionTest {
  private Engine engine;
  private Faults faults;
  private Engine seenBeforeEach;

  @BeforeEach
  void before(Engine parameter) {
    assertThat(engine).as("the field is set before @BeforeEach methods run").isSameAs(parameter);
    seenBeforeEach = parameter;
  }

  @Test
  void theParameterTheFieldAndBeforeEachGetOneEngine(Engine parameter, Faults faultsParameter) throws Exception {
    assertThat(parameter).isSameAs(engine).isSameAs(seenBeforeEach);
    assertThat(faultsParameter).isSameAs(faults).isNotNull();
    try (Pool pool = parameter.pool(1)) {
      long workerPid = pool.apply(() -> ProcessHandle.current().pid());
      assertThat(workerPid).isNotEqualTo(ProcessHandle.current().pid());
    }
  }

  @Test
  void theClassSettingsApply(Engine engine) {
    assertThat(((EngineImpl) engine).hubAddress()).startsWith("unix:");
  }

  @Test
  @EngineSettings(transport = EngineOptions.Transport.TCP)
  void theMethodSettingsWin(Engine engine) throws Exception {
    assertThat(((EngineImpl) engine).hubAddress()).startsWith("tcp:127.0.0.1:");
    try (Pool pool = engine.pool(1)) {
      assertThat(pool.map((Integer x) -> x * 3, List.of(1, 2, 3))).containsExactly(3, 6, 9);
    }
  }

  @Test
  void aTestMayCloseTheEngineItself(Engine engine) {
    engine.close();
  }

  @Nested
  class Inner {
    private Engine inner;

    @Test
    void aNestedTestSharesItsEngineWithTheEnclosingInstanceAndTheEnclosingSettings(Engine parameter) {
      assertThat(parameter).isSameAs(inner).isSameAs(engine);
      assertThat(((EngineImpl) parameter).hubAddress()).startsWith("unix:");
    }
  }
}

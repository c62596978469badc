package dev.jobengine.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.AsyncResult;
import dev.jobengine.Engine;
import dev.jobengine.Pool;
import dev.jobengine.SharedEvent;
import dev.jobengine.WorkerLostException;
import dev.jobengine.test.Faults;
import dev.jobengine.test.JobEngineExtension;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test as a user's project writes it with engine-test: the engine comes from the extension, and
 * plain {@code mvn test} runs it.
 */
@ExtendWith(JobEngineExtension.class)
class PoolTasksTest {
  @Test
  void squaresAreComputedInWorkerJvms(Engine engine) throws Exception {
    try (Pool pool = engine.pool(2)) {
      assertThat(pool.map((Integer x) -> x * x, List.of(1, 2, 3))).containsExactly(1, 4, 9);
    }
  }

  @Test
  void aTaskWhoseWorkerIsKilledFailsWithWorkerLost(Engine engine, Faults faults) throws Exception {
    SharedEvent never = engine.event("never");
    try (Pool pool = engine.pool(1)) {
      AsyncResult<String> result = pool.applyAsync(() -> {
        never.await();
        return "unreachable";
      });
      faults.killWorkerRunning(result);
      assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(WorkerLostException.class);
    }
  }
}

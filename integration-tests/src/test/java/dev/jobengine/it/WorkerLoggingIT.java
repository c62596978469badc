package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A worker holds its logging back end's initialization back until its first result is out: what
 * it logs meanwhile still comes out, the MDC it set meanwhile reaches the back end's for what it
 * logs later, and a job that ends at once after logging still has its line printed.
 */
class WorkerLoggingIT {
  @Test
  void whatAFreshWorkerLogsComesOutWithItsMdcAndBeforeItsJvmEnds() throws Exception {
    Path config = Path.of("src", "test", "resources", "logback-worker-mdc.xml").toAbsolutePath();
    try (DaemonFixture children = new DaemonFixture()) {
      DaemonFixture.Child app = children.start(new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Dlogback.configurationFile=" + config,
          "-cp", System.getProperty("java.class.path"), WorkerLoggingApp.class.getName()));
      assertThat(app.await("DONE")).isEqualTo("DONE 0");
      assertThat(app.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
      List<String> output = app.output();
      assertThat(output).as("the first task's line (logged before the back end was ready: replayed)")
          .anyMatch(l -> l.contains("logged by the first task"));
      assertThat(output).as("a later task's line, with the worker's id and the task's in its MDC")
          .anyMatch(l -> l.contains("logged once the back end is ready") && l.matches(".*worker=\\d+ task=\\d+ .*"));
      assertThat(output).as("the short job's line, printed before its JVM exited")
          .anyMatch(l -> l.contains("logged by a short job"));
    }
  }
}

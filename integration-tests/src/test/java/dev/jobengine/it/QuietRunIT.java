package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What an application without any SLF4J provider sees on its console: its own output and the errors that matter. */
class QuietRunIT {
  @Test
  void aNormalRunPrintsNoWarningsAndACallbackThatThrowsStillReachesStderr() throws Exception {
    String withoutLogback = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.contains("logback"))
        .collect(Collectors.joining(File.pathSeparator));
    try (DaemonFixture children = new DaemonFixture()) {
      DaemonFixture.Child app = children.java(withoutLogback, QuietApp.class.getName());
      app.await("RESULT 42 item");
      assertThat(app.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      List<String> output = app.output();
      assertThat(output).as("the callback's failure, with no logging back end").anyMatch(l -> l.contains("the callback threw on purpose"));
      assertThat(output).as("no SLF4J or Netty warnings").noneMatch(l -> l.contains("SLF4J") || l.contains("SO_KEEPALIVE"));
      if (Runtime.version().feature() < 22) { // later JDKs warn about the application's own native access and Unsafe use
        assertThat(output).noneMatch(l -> l.startsWith("WARNING"));
      }
      System.out.println("a run without an SLF4J provider printed:");
      output.forEach(l -> System.out.println("  | " + l));
    }
  }
}

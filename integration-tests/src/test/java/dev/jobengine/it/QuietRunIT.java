package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What an application without any SLF4J provider sees on its console, started with only a class
 * path (no JVM options): its own output and the errors that matter. On the JDK running the tests,
 * and on a newer one ({@code -Djobengine.it.newerJdk=<java home>}, by default a JDK 25 where one is
 * usually installed) when it exists.
 */
class QuietRunIT {
  static final String NEWER_JDK_PROPERTY = "jobengine.it.newerJdk";

  static Stream<String> jdks() {
    return Stream.of(System.getProperty("java.home"),
        System.getProperty(NEWER_JDK_PROPERTY, "/usr/lib/jvm/temurin-25-jdk-amd64"));
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("jdks")
  void aNormalRunPrintsNoWarningsAndACallbackThatThrowsStillReachesStderr(String javaHome) throws Exception {
    Path home = Path.of(javaHome);
    Assumptions.assumeTrue(Files.isExecutable(home.resolve("bin").resolve("java")), "no JDK at " + home);
    String withoutLogback = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.contains("logback"))
        .collect(Collectors.joining(File.pathSeparator));
    try (DaemonFixture children = new DaemonFixture()) {
      DaemonFixture.Child app = children.java(home, withoutLogback, QuietApp.class.getName());
      app.await("RESULT 42 item");
      assertThat(app.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
      List<String> output = app.output();
      assertThat(output).as("the callback's failure, with no logging back end").anyMatch(l -> l.contains("the callback threw on purpose"));
      assertThat(output).as("no SLF4J or Netty warnings").noneMatch(l -> l.contains("SLF4J") || l.contains("SO_KEEPALIVE"));
      assertThat(output).as("no JDK warnings (native access, Unsafe)").noneMatch(l -> l.startsWith("WARNING"));
    }
  }
}

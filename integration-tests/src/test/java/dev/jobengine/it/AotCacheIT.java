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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On JDK 25 and later the workers' class data is an AOT cache: a program's first run records it
 * in a worker and leaves it behind, assembled after the program ended; its next run's workers
 * start with it. Both runs print only their own output. Runs an application in a JVM of its own,
 * on the newer JDK QuietRunIT uses, with a home directory of its own (where the cache goes). The
 * application's tasks meet at a barrier: the recording worker is up, and so exits normally.
 */
class AotCacheIT {
  @TempDir Path home;

  @Test
  void theFirstRunLeavesACacheThatTheNextRunsWorkersStartWith() throws Exception {
    Path jdk = Path.of(System.getProperty(QuietRunIT.NEWER_JDK_PROPERTY, "/usr/lib/jvm/temurin-25-jdk-amd64"));
    Assumptions.assumeTrue(Files.isExecutable(jdk.resolve("bin").resolve("java")), "no JDK at " + jdk);
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.contains("logback"))
        .collect(Collectors.joining(File.pathSeparator));
    Assumptions.assumeTrue(Arrays.stream(classPath.split(File.pathSeparator))
        .filter(e -> e.contains("engine-")).allMatch(e -> e.endsWith(".jar")), "the engine is not in jars here");
    Path cds = home.resolve(".cache").resolve("jobengine").resolve("cds");

    List<String> first = run(jdk, classPath);
    assertThat(first).as("only the application's own lines").hasSize(2).allMatch(l -> l.startsWith("WORKER "))
        .as("one worker records").anyMatch(l -> l.contains("-XX:AOTMode=record"));
    assertThat(Processes.await(java.time.Duration.ofSeconds(90), () -> caches(cds).size() == 1))
        .as("a cache assembled after the first run ended: " + files(cds) + "; first run: " + first).isTrue();
    assertThat(Processes.await(java.time.Duration.ofSeconds(30), () -> files(cds).size() == 1))
        .as("no recording or configuration left: " + files(cds)).isTrue();

    List<String> second = run(jdk, classPath);
    assertThat(second).hasSize(2).allSatisfy(l -> assertThat(l)
        .contains("-XX:AOTCache=" + caches(cds).get(0))
        .doesNotContain("-Xshare:auto", "AOTMode=record"));
  }

  private List<String> run(Path jdk, String classPath) throws Exception {
    try (DaemonFixture children = new DaemonFixture()) {
      DaemonFixture.Child app = children.start(new ProcessBuilder(jdk.resolve("bin").resolve("java").toString(),
          "-Duser.home=" + home, "-cp", classPath, AotCacheApp.class.getName()));
      app.await("WORKER ");
      app.await("WORKER ");
      assertThat(app.process().waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(app.process().exitValue()).as(String.join("\n", app.output())).isZero();
      return app.output();
    }
  }

  private static List<Path> caches(Path dir) {
    return files(dir).stream().filter(p -> p.toString().endsWith(".aot")).toList();
  }

  private static List<Path> files(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    } catch (java.io.IOException e) {
      return List.of();
    }
  }
}

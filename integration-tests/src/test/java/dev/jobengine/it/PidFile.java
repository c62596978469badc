package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The workload fault tests hit: a task that writes its worker's pid to a file and runs long. */
final class PidFile {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private PidFile() {}

  /** Writes this JVM's pid to {@code file}, then runs for a minute (unless its worker is stopped). */
  static Integer announceAndRun(String file) throws Exception {
    announce(file);
    Thread.sleep(60_000);
    return 0;
  }

  /** Writes this JVM's pid to {@code file}. */
  static void announce(String file) throws IOException {
    Files.writeString(Path.of(file), Long.toString(ProcessHandle.current().pid()));
  }

  /** The pid written to {@code file}, waiting for it at most a minute. */
  static long await(Path file) {
    assertThat(Processes.await(WAIT, () -> Files.exists(file) && file.toFile().length() > 0))
        .as("a pid in " + file).isTrue();
    try {
      return Long.parseLong(Files.readString(file).trim());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}

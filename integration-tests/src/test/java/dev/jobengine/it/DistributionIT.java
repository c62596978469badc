package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.Engine;
import dev.jobengine.SharedQueue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assembled distribution (distribution/target/jobengine-VERSION), run as a user runs it: bin/jobengine. */
class DistributionIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Path HOME = Path.of(System.getProperty("jobengine.distribution")).toAbsolutePath().normalize();
  private static final Path SCRIPT = HOME.resolve("bin/jobengine");
  private static final Path JAR = HOME.resolve("lib/jobengine.jar");

  @TempDir Path dir;
  private final List<Process> started = new ArrayList<>();
  private final List<Path> links = new ArrayList<>();

  /** A process of the script and the lines it prints (stdout and stderr together). */
  private record Run(Process process, LinkedBlockingQueue<String> lines, Thread reader) {
    String await(String prefix) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      List<String> seen = new ArrayList<>();
      while (System.nanoTime() < deadline) {
        String line = lines.poll(1, TimeUnit.SECONDS);
        if (line != null) {
          seen.add(line);
          if (line.startsWith(prefix)) {
            return line;
          }
        } else if (!reader.isAlive() && lines.isEmpty()) {
          throw new AssertionError("no line starting with '" + prefix + "': it ended (exit status "
              + exit() + ") after " + seen);
        }
      }
      throw new AssertionError("no line starting with '" + prefix + "' within " + WAIT + "; saw " + seen);
    }

    /** Waits for the end; its exit status. */
    int exit() throws InterruptedException {
      assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("ended within " + WAIT).isTrue();
      return process.exitValue();
    }

    /** What it printed that no {@link #await} took, once it has ended. */
    String output() throws InterruptedException {
      exit();
      reader.join(WAIT.toMillis()); // the rest of its output
      return String.join("\n", lines);
    }
  }

  /** Runs {@code script args} with the test JVM's environment less the JVM options, changed by {@code env}. */
  private Run run(Path script, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(script.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
    builder.environment().remove("JAVA_OPTS");
    builder.environment().remove("JOBENGINE_OPTS");
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    env.forEach((name, value) -> {
      if (value == null) {
        builder.environment().remove(name);
      } else {
        builder.environment().put(name, value);
      }
    });
    Process p = builder.start();
    started.add(p);
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = Processes.readLines(p, lines, "script-output");
    return new Run(p, lines, reader);
  }

  private Path symlink(Path link, Path target) throws IOException {
    links.add(Files.createSymbolicLink(link, target));
    return link;
  }

  @AfterEach
  void killLeftovers() throws IOException {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Path link : links) {
      Files.delete(link); // before @TempDir's clean-up, which warns about links leading out of it
    }
  }

  @Test
  void theScriptIsExecutableAndPrintsTheVersion() throws Exception {
    assertThat(Files.getPosixFilePermissions(SCRIPT)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(JAR).isRegularFile();
    assertThat(JAR.getParent().resolveSibling("LICENSE")).content().contains("Apache License", "Version 2.0");
    Run version = run(SCRIPT, Map.of(), "--version");
    assertThat(version.exit()).isZero();
    String release = System.getProperty("jobengine.version").replace("-SNAPSHOT", "");
    assertThat(version.output()).isEqualTo("jobengine " + release);
    Run usage = run(SCRIPT, Map.of(), "daemon");
    assertThat(usage.exit()).as("the command's exit status (picocli's for a missing option)").isEqualTo(2);
    assertThat(usage.output()).contains("--authkey-file");
  }

  @Test
  void aDaemonStartedThroughASymlinkServesClientsAndEndsOnSigterm() throws Exception {
    // a relative symlink to an absolute one to the script, as ~/bin/jobengine -> /opt/jobengine/bin/jobengine
    Files.createDirectories(dir.resolve("opt"));
    symlink(dir.resolve("opt/jobengine"), SCRIPT);
    Path link = symlink(dir.resolve("jobengine"), Path.of("opt/jobengine"));
    Path key = dir.resolve("key");
    Run daemon = run(link, Map.of("JAVA_OPTS", "-Xmx256m", "JOBENGINE_OPTS", "-Djobengine.it.a=1 -Djobengine.it.b=2"),
        "daemon", "--listen", "127.0.0.1:0", "--authkey-file", key.toString(), "--workers", "1");
    String line = daemon.await("jobengine daemon listening on ");
    String address = line.substring("jobengine daemon listening on ".length()).split(" ")[0];

    List<String> jvm = daemon.process().toHandle().info().arguments().map(List::of).orElseThrow();
    assertThat(jvm).as("the JVM took the script's place, with both option variables")
        .containsSubsequence("-Xmx256m", "-Djobengine.it.a=1", "-Djobengine.it.b=2", "-jar", JAR.toString(), "daemon");
    assertThat(Processes.await(WAIT, () -> daemon.process().children().count() == 1)).as("1 warm worker").isTrue();
    ProcessHandle worker = daemon.process().children().findFirst().orElseThrow();
    // between fork and exec the child still shows the daemon's command line
    assertThat(Processes.await(WAIT, () -> worker.info().arguments().map(List::of).orElse(List.of()).contains("-cp")))
        .as("the worker's command line").isTrue();
    assertThat(worker.info().arguments().map(List::of).orElseThrow()).as("the worker runs from the same jar")
        .containsSubsequence("-cp", JAR.toString());

    try (Engine producer = Engine.connect(address, key); Engine consumer = Engine.connect(address, key)) {
      SharedQueue<String> sent = producer.queue("dist-queue");
      SharedQueue<String> received = consumer.queue("dist-queue");
      sent.put("through the daemon");
      assertThat(received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("through the daemon");
    }

    daemon.process().toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its stdout
    assertThat(daemon.exit()).isZero();
    assertThat(Processes.await(WAIT, () -> Processes.isGone(worker.pid()))).as("its worker ends").isTrue();
    assertThat(daemon.output()).contains("jobengine daemon: ended");
  }

  @Test
  void withoutJavaTheScriptFailsSayingSo() throws Exception {
    Path noJdk = Files.createDirectories(dir.resolve("no-jdk/bin"));
    Path emptyPath = Files.createDirectories(dir.resolve("empty-path"));

    Run badHome = run(SCRIPT, Map.of("JAVA_HOME", noJdk.getParent().toString(), "PATH", emptyPath.toString()), "--version");
    assertThat(badHome.exit()).isNotZero();
    assertThat(badHome.output()).contains("JAVA_HOME is " + noJdk.getParent()).contains("no bin/java");

    Map<String, String> noJava = new HashMap<>();
    noJava.put("JAVA_HOME", null);
    noJava.put("PATH", emptyPath.toString());
    Run none = run(SCRIPT, noJava, "--version");
    assertThat(none.exit()).isNotZero();
    assertThat(none.output()).startsWith("jobengine: no java").contains("JAVA_HOME");
  }
}

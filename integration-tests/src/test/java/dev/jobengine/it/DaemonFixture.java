package dev.jobengine.it;

import dev.jobengine.master.cli.JobEngineCli;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Real daemon processes and their clients for integration tests. The daemon runs on the engine's
 * own jars only: the test classes (and so the tasks' lambdas) are not on its class path, and reach
 * its workers as the client's code. {@link #close()} kills whatever is left.
 */
final class DaemonFixture implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(60);

  private final List<Process> started = new ArrayList<>();
  private final List<Child> children = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();

  /** Prints what each child printed, for the test's report. */
  void printOutputs() {
    for (Child c : children) {
      System.out.println("---- output of pid " + c.pid() + " " + c.process().info().command().orElse(""));
      c.output().forEach(line -> System.out.println("  | " + line));
    }
    for (Path log : logs) {
      try {
        System.out.println("---- " + log);
        java.nio.file.Files.readAllLines(log).forEach(line -> System.out.println("  | " + line));
      } catch (IOException e) {
        System.out.println("  (none: " + e + ")");
      }
    }
  }

  /** A child JVM and the lines it prints (stdout and stderr). */
  record Child(Process process, LinkedBlockingQueue<String> lines, List<String> seen) {
    String await(String prefix) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        String line = lines.poll(1, TimeUnit.SECONDS);
        if (line != null) {
          seen.add(line);
          if (line.startsWith(prefix)) {
            return line;
          }
        }
      }
      throw new AssertionError("no line starting with '" + prefix + "' within " + WAIT + "; saw " + seen);
    }

    /** Everything printed so far, the lines awaited included. */
    List<String> output() {
      lines.drainTo(seen);
      return List.copyOf(seen);
    }

    long pid() {
      return process.pid();
    }
  }

  /** A daemon and the address it listens on. */
  record Daemon(Child child, String address, Path key) {
    Process process() {
      return child.process();
    }
  }

  /** The engine's jars, without this module's test classes. */
  static String engineClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.contains("integration-tests"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  Child java(String classPath, String mainClass, String... args) throws IOException {
    return java(Path.of(System.getProperty("java.home")), classPath, mainClass, args);
  }

  /** {@code mainClass} on the JDK at {@code javaHome}. */
  Child java(Path javaHome, String classPath, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(javaHome.resolve("bin").resolve("java").toString(), "-cp", classPath, mainClass));
    cmd.addAll(List.of(args));
    return start(new ProcessBuilder(cmd));
  }

  /** Starts {@code pb}, its stderr with its stdout; ended with the others on close. */
  Child start(ProcessBuilder pb) throws IOException {
    Process p = pb.redirectErrorStream(true).start();
    started.add(p);
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Processes.readLines(p, lines, "child-output");
    Child c = new Child(p, lines, new ArrayList<>());
    children.add(c);
    return c;
  }

  /** {@code jobengine ARGS} on the engine's jars. */
  Child cli(String... args) throws IOException {
    return java(engineClassPath(), JobEngineCli.class.getName(), args);
  }

  /** Starts {@code jobengine daemon} on a free loopback port with {@code args} added. */
  Daemon daemon(Path key, String... args) throws Exception {
    Path log = key.resolveSibling("daemon-" + logs.size() + ".log");
    logs.add(log);
    List<String> all = new ArrayList<>(List.of("daemon", "--listen", "127.0.0.1:0", "--authkey-file", key.toString(),
        "--log-file", log.toString()));
    all.addAll(List.of(args));
    Child c = cli(all.toArray(String[]::new));
    String line = c.await("jobengine daemon listening on ");
    return new Daemon(c, line.substring("jobengine daemon listening on ".length()).split(" ")[0], key);
  }

  @Override
  public void close() {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : started) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

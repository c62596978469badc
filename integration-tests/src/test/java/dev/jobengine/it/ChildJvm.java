package dev.jobengine.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A child JVM on the test's class path, and the lines it prints (stdout and stderr together). */
final class ChildJvm {
  private final Process process;
  private final LinkedBlockingQueue<String> unread = new LinkedBlockingQueue<>();
  private final List<String> all = new CopyOnWriteArrayList<>();

  private ChildJvm(Process process) {
    this.process = process;
  }

  /** Starts {@code java [jvmOptions] -cp <the test's> main args...}. */
  static ChildJvm start(List<String> jvmOptions, Class<?> main, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    cmd.addAll(List.of(args));
    ChildJvm child = new ChildJvm(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    Thread reader = new Thread(child::read, "child-output-" + child.process.pid());
    reader.setDaemon(true);
    reader.start();
    return child;
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        all.add(line);
        unread.add(line);
      }
    } catch (IOException ignored) {
      // the child is gone
    }
  }

  Process process() {
    return process;
  }

  /** Every line printed so far. */
  List<String> lines() {
    return List.copyOf(all);
  }

  /** The next line starting with {@code prefix}, waiting at most {@code bound} for it. */
  String await(String prefix, Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    List<String> seen = new ArrayList<>();
    for (long left = bound.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      String line = unread.poll(left, TimeUnit.NANOSECONDS);
      if (line != null) {
        seen.add(line);
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    }
    throw new AssertionError("no line starting with '" + prefix + "' within " + bound + "; saw " + seen);
  }

  /** Ends it and whatever it started, at once. */
  void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}

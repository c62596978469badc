package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A master JVM killed with SIGKILL leaves no worker behind. */
class MasterKillIT {
  @Test
  void workersExitWhenTheirMasterIsKilled() throws Exception {
    Process master = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            ChildMaster.class.getName())
        .redirectErrorStream(true)
        .start();
    List<Long> workers = new ArrayList<>();
    try {
      LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(master.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            lines.add(line);
          }
        } catch (java.io.IOException ignored) {
          // the master is gone
        }
      }, "child-master-output");
      reader.setDaemon(true);
      reader.start();

      List<String> seen = new ArrayList<>();
      String pidsLine = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (pidsLine == null && System.nanoTime() < deadline) {
        String line = lines.poll(1, TimeUnit.SECONDS);
        if (line != null) {
          seen.add(line);
          pidsLine = line.startsWith("PIDS ") ? line : null;
        }
      }
      assertThat(pidsLine).as("child master output: %s", seen).isNotNull();
      Arrays.stream(pidsLine.substring(5).split(" ")).map(Long::parseLong).forEach(workers::add);
      assertThat(workers).hasSize(2);
      assertThat(seen).as("worker output shows on the master's console").anyMatch(l -> l.startsWith("hello from worker "));

      long killedAt = System.nanoTime();
      master.destroyForcibly();
      assertThat(master.waitFor(30, TimeUnit.SECONDS)).isTrue();
      boolean allGone = Processes.await(Duration.ofSeconds(10), () -> workers.stream().allMatch(Processes::isGone));
      System.out.printf("workers gone %.0f ms after the master's SIGKILL%n", (System.nanoTime() - killedAt) / 1e6);
      assertThat(allGone).as("workers %s exit after their master is killed", workers).isTrue();
    } finally {
      master.destroyForcibly();
      workers.forEach(Processes::kill);
    }
  }

  @Test
  void aMasterThatExitsWithoutClosingLeavesNoWorkerAndNoSocket() throws Exception {
    DaemonFixture children = new DaemonFixture();
    try {
      DaemonFixture.Child master = children.java(System.getProperty("java.class.path"), ForgetfulMaster.class.getName());
      String hub = master.await("HUB ").substring(4);
      List<Long> workers = Arrays.stream(master.await("PIDS ").substring(5).split(" ")).map(Long::parseLong).toList();
      long start = System.nanoTime();
      assertThat(master.process().waitFor(30, TimeUnit.SECONDS)).as("main returned: the JVM exits").isTrue();
      System.out.printf("a master that forgot close() exited %.0f ms after its last line%n", (System.nanoTime() - start) / 1e6);
      assertThat(master.process().exitValue()).isZero();
      assertThat(Processes.await(Duration.ofSeconds(10), () -> workers.stream().allMatch(Processes::isGone)))
          .as("its workers %s end with it", workers).isTrue();
      if (hub.startsWith("unix:")) {
        Path socket = Path.of(hub.substring("unix:".length()));
        assertThat(socket.getParent()).as("its private socket directory is removed").doesNotExist();
      }
    } finally {
      children.close();
    }
  }
}

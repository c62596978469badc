package dev.jobengine.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waits and process checks for tests. */
public final class Processes {
  private Processes() {}

  /** Polls {@code condition} until it holds or {@code bound} passes; true if it held. */
  public static boolean await(Duration bound, BooleanSupplier condition) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(20); // polling interval of a bounded wait, not a wait for an event
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** Gone: no such process, or a zombie (exited, waiting for its parent to reap it). */
  public static boolean isGone(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String afterName = stat.substring(stat.lastIndexOf(')') + 2);
      return afterName.startsWith("Z") || afterName.startsWith("X");
    } catch (NoSuchFileException e) {
      return true;
    } catch (IOException e) {
      return !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
  }

  /** A zombie: exited but not reaped. */
  public static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return false;
    }
  }

  /** SIGKILL. */
  public static void kill(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  /**
   * Reads {@code p}'s stdout, line by line, into {@code lines} on a daemon thread of its own,
   * which ends with the stream; returns that thread, started.
   */
  public static Thread readLines(Process p, java.util.Collection<String> lines, String name) {
    Thread reader = new Thread(() -> {
      try (java.io.BufferedReader r = new java.io.BufferedReader(
          new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // the process is gone
      }
    }, name);
    reader.setDaemon(true);
    reader.start();
    return reader;
  }
}

package dev.jobengine.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Signals Java has no call for (SIGSTOP, SIGCONT), sent with the {@code kill} command. */
final class Signals {
  private static final Duration COMMAND_BOUND = Duration.ofSeconds(10);

  private Signals() {}

  /** Sends {@code signal} ("STOP", "CONT") to {@code pid}; false if there is no such process. */
  static boolean send(long pid, String signal) {
    Process kill;
    try {
      kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run the kill command to send SIG" + signal + " to " + pid, e);
    }
    try {
      if (!kill.waitFor(COMMAND_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
        kill.destroyForcibly();
        throw new IllegalStateException("kill -" + signal + " " + pid + " did not finish within " + COMMAND_BOUND);
      }
      String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (kill.exitValue() == 0) {
        return true;
      }
      if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        return false;
      }
      throw new IllegalStateException(
          "kill -" + signal + " " + pid + " failed with status " + kill.exitValue() + ": " + output);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill.destroyForcibly();
      throw new IllegalStateException("interrupted while sending SIG" + signal + " to " + pid, e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the output of kill -" + signal + " " + pid, e);
    }
  }

  /**
   * The process's state letter from {@code /proc/<pid>/stat} ('T' stopped, 'Z' zombie, ...), or 'X'
   * if it is gone.
   */
  static char state(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2);
    } catch (NoSuchFileException e) {
      return 'X';
    } catch (IOException | RuntimeException e) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? '?' : 'X';
    }
  }
}

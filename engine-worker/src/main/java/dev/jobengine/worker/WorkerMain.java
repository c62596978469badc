package dev.jobengine.worker;

import dev.jobengine.internal.NamedThreadFactory;
import dev.jobengine.internal.wire.AuthToken;
import dev.jobengine.worker.internal.WorkerConfig;
import dev.jobengine.worker.internal.WorkerSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of a worker JVM, started by the master as {@code java -cp <class path>
 * dev.jobengine.worker.WorkerMain --hub ADDR --id N ...}. The authkey arrives as the first line of
 * standard input, which then stays open: its end (the master died) ends the worker, as does the
 * master's process ending or the stream to it breaking. So no worker outlives its master.
 */
public final class WorkerMain {
  /** Exit status when the master went away. */
  public static final int EXIT_ORPHANED = 3;
  /** Exit status for bad arguments or a missing authkey. */
  public static final int EXIT_USAGE = 2;

  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    Thread.currentThread().setName("jobengine-worker-task");
    WorkerConfig config;
    byte[] authkey;
    BufferedReader stdin =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    try {
      config = WorkerConfig.parse(args);
      String line = stdin.readLine();
      if (line == null) {
        throw new IllegalArgumentException("no authkey on standard input");
      }
      authkey = AuthToken.decodeKey(line);
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("jobengine worker: " + e.getMessage());
      System.exit(EXIT_USAGE);
      return;
    }
    guardAgainstOrphaning(stdin, config.parentPid());
    int status = new WorkerSession(config, authkey).run();
    System.out.flush();
    System.err.flush();
    System.exit(status);
  }

  private static void guardAgainstOrphaning(BufferedReader stdin, long parentPid) {
    NamedThreadFactory.start(
        "jobengine-worker-stdin",
        true,
        () -> {
          try {
            while (stdin.read() >= 0) {
              // nothing else is sent; reading only waits for the end
            }
          } catch (IOException ignored) {
            // treated as the end
          }
          Runtime.getRuntime().halt(EXIT_ORPHANED);
        });
    ProcessHandle.of(parentPid)
        .ifPresentOrElse(
            parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(EXIT_ORPHANED)),
            () -> Runtime.getRuntime().halt(EXIT_ORPHANED));
  }
}

package dev.jobengine.worker;

import dev.jobengine.EngineOptions;
import dev.jobengine.JavaSerializationCodec;
import dev.jobengine.core.NamedThreadFactory;
import dev.jobengine.core.WorkerConfig;
import dev.jobengine.core.wire.AuthToken;
import dev.jobengine.core.wire.Tls;
import dev.jobengine.core.wire.Transports;
import dev.jobengine.worker.internal.DeferredLogging;
import dev.jobengine.worker.internal.WorkerSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.slf4j.LoggerFactory;

/**
 * Entry point of a worker JVM, started by the master as {@code java -cp <class path>
 * dev.jobengine.worker.WorkerMain --hub ADDR --id N ...}. The token it presents (the proof of the
 * engine's authkey, never the key itself) arrives in Base64 as the first line of standard input,
 * which then stays open: its end (the master died) ends the worker, as does the
 * master's process ending or the stream to it breaking. So no worker outlives its master.
 */
public final class WorkerMain {
  /** Exit status when the master went away. */
  public static final int EXIT_ORPHANED = 3;
  /** Exit status for bad arguments or a missing token. */
  public static final int EXIT_USAGE = 2;

  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    Thread.currentThread().setName("jobengine-worker-task");
    Transports.applyNettyDefaults();
    startLogging(true);
    WorkerConfig config;
    byte[] token;
    BufferedReader stdin =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    try {
      config = WorkerConfig.parse(args);
      String line = stdin.readLine();
      if (line == null) {
        throw new IllegalArgumentException("no token on standard input");
      }
      token = AuthToken.decodeKey(line);
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("jobengine worker: " + e.getMessage());
      System.exit(EXIT_USAGE);
      return;
    }
    WorkerSession session = new WorkerSession(config, token);
    guardAgainstOrphaning(stdin, config.parentPid(), session::endingNormally);
    int status = session.run();
    finishLogging();
    System.out.flush();
    System.err.flush();
    System.exit(status);
  }

  /**
   * A worker that joins a daemon's fleet of its own accord ({@code jobengine worker --connect}),
   * from this or another machine: it connects to {@code hub} ({@code tcp:host:port}, or {@code
   * tls:host:port} over TLS as {@code Engine.connect} does, trusting {@code -Djobengine.tls.trust})
   * with {@code authkey}, serves the pools and processes the daemon leases it to, and returns its exit status
   * once the daemon tells it to stop ({@value WorkerSession#EXIT_OK}) or goes away ({@value
   * WorkerSession#EXIT_MASTER_GONE}). Jars of the leases are cached in {@code codeDir} (null: a
   * directory per user in the temp directory).
   */
  public static int join(String hub, byte[] authkey, String codeDir) throws Exception {
    Transports.applyNettyDefaults();
    startLogging(false);
    boolean overTls = hub.startsWith("tls:");
    String address = overTls ? "tcp:" + hub.substring("tls:".length()) : hub;
    WorkerConfig config = new WorkerConfig(address, 0, JavaSerializationCodec.class.getName(),
        EngineOptions.defaults().maxPayloadBytes(), 0, true, null, codeDir);
    return new WorkerSession(config, AuthToken.token(authkey), overTls ? Tls.clientFromSystemProperties() : null).run();
  }

  /**
   * Initializes the logging back end (for Logback, reading its configuration takes a fresh JVM
   * 100-200 ms) on a thread of its own, while this one connects to the master. Loggers asked for
   * meanwhile are SLF4J's stand-ins: their calls are replayed to the real ones once ready. SLF4J
   * reports that replay as a warning; its internal reports are kept to errors here (the master
   * prints the same ones), and with an SLF4J too old to allow that, initialization stays inline.
   * A worker the master started ({@code deferred}) holds the back end's initialization back until
   * its first result is out ({@link DeferredLogging}).
   */
  private static void startLogging(boolean deferred) {
    String verbosity = "slf4j.internal.verbosity";
    try {
      Class.forName("org.slf4j.helpers.Reporter", false, WorkerMain.class.getClassLoader())
          .getDeclaredField("SLF4J_INTERNAL_VERBOSITY_KEY"); // not initialized: it reads the property once
    } catch (ReflectiveOperationException | LinkageError e) {
      return;
    }
    if (System.getProperty(verbosity) == null) {
      System.setProperty(verbosity, "ERROR");
    }
    if (deferred) {
      DeferredLogging.install();
    }
    Thread t = new Thread(LoggerFactory::getILoggerFactory, "jobengine-worker-logging");
    t.setDaemon(true);
    t.start();
    logging = t;
  }

  private static volatile Thread logging;

  /**
   * Lets held-back logging initialize, and waits for it (at most 5 s), so that what was logged
   * meanwhile is out before the JVM exits.
   */
  private static void finishLogging() {
    DeferredLogging.go();
    Thread t = logging;
    if (t != null) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The end of stdin ends the worker, unless it is ending on its own already: then the master
   * closed stdin once the worker's stream ended, and this thread only leaves its blocking read, so
   * that the JVM's exit does not wait for it (a thread in native code holds an exit back ~0.3 s).
   */
  private static void guardAgainstOrphaning(BufferedReader stdin, long parentPid, BooleanSupplier endingNormally) {
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
          if (!endingNormally.getAsBoolean()) {
            Runtime.getRuntime().halt(EXIT_ORPHANED);
          }
        });
    ProcessHandle.of(parentPid)
        .ifPresentOrElse(
            parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(EXIT_ORPHANED)),
            () -> Runtime.getRuntime().halt(EXIT_ORPHANED));
  }
}

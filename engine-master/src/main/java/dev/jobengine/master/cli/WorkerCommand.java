package dev.jobengine.master.cli;

import dev.jobengine.core.WorkerConfig;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jobengine worker --connect HOST:PORT --authkey-file KEY}: a worker that joins a daemon's
 * fleet from this machine or another and serves the pools and processes the daemon leases to it,
 * loading each one's code (fetched from the daemon once, cached in {@code --code-dir}) in a class
 * loader of its own. It exits when the daemon ends (0) or goes away (3).
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Join a daemon's fleet of workers and serve its clients' pools.")
final class WorkerCommand implements Callable<Integer> {
  @Option(names = "--connect", required = true,
      description = "the daemon's host:port, or tls:host:port over TLS (trusting -Djobengine.tls.trust, as clients do)")
  String connect;

  @Option(names = "--authkey-file", required = true, description = "the daemon's key file")
  Path authkeyFile;

  @Option(names = "--code-dir", description = "where leases' jars are cached (default: jobengine-code-USER in the temp directory)")
  Path codeDir;

  @Override
  public Integer call() throws Exception {
    if (connect.lastIndexOf(':') <= 0) {
      System.err.println("jobengine worker: --connect takes host:port, was " + connect);
      return 2;
    }
    byte[] key;
    try {
      key = DaemonCommand.readKey(authkeyFile);
    } catch (java.io.IOException | IllegalArgumentException e) {
      System.err.println("jobengine worker: cannot read the authkey file: " + e.getMessage());
      return 2;
    }
    String hub = connect.startsWith("tcp:") || connect.startsWith("tls:") ? connect : "tcp:" + connect;
    // the worker runtime is a runtime dependency of the command line, not a compile-time one
    MethodHandle join = MethodHandles.publicLookup().findStatic(Class.forName(WorkerConfig.MAIN_CLASS), "join",
        MethodType.methodType(int.class, String.class, byte[].class, String.class));
    System.out.println("jobengine worker: joining " + connect + " (pid " + ProcessHandle.current().pid() + ")");
    System.out.flush();
    int status;
    try {
      status = (int) join.invoke(hub, key, codeDir == null ? null : codeDir.toAbsolutePath().toString());
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
    System.out.println("jobengine worker: " + (status == 0 ? "the daemon ended" : "the daemon went away") + "; exiting");
    return status;
  }
}

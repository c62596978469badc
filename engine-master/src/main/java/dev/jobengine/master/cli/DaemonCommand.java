package dev.jobengine.master.cli;

import dev.jobengine.EngineOptions;
import dev.jobengine.core.wire.AuthToken;
import dev.jobengine.core.wire.Tls;
import dev.jobengine.master.internal.EngineImpl;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jobengine daemon}: one engine that client JVMs share ({@code Engine.connect}). It listens
 * on TCP (on loopback only, unless over TLS: {@code --tls-cert} and {@code --tls-key}, and with
 * {@code --tls-client-ca} clients need a certificate too), admits whoever presents the key of
 * {@code --authkey-file} (created, 0600 and random, if missing), keeps {@code --workers} worker
 * JVMs started and warm, which clients' pools lease (up to {@code --max-workers}) and give back,
 * and on SIGTERM drains (no new pools; running tasks get {@code --drain-timeout}), ends everything
 * it started, and exits 0.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true,
    description = "Run one engine that client JVMs share through Engine.connect(host:port, keyfile).")
final class DaemonCommand implements Callable<Integer> {
  /** A key file larger than this is not a key file (as Engine.connect reads it). */
  private static final int MAX_KEY_BYTES = 4096;

  /**
   * gRPC's log of connections that failed (java.util.logging, which jobengine-cli-logback.xml does
   * not reach): at INFO, with a stack trace, it reports whatever connects and speaks something else
   * (a TLS client to a plaintext daemon, a port scanner). Kept here: a logger's level lasts only
   * as long as someone holds the logger.
   */
  private static final java.util.logging.Logger CONNECTION_LOG =
      java.util.logging.Logger.getLogger("io.grpc.netty.NettyServerTransport.connections");

  @Option(names = "--listen", description = "host:port to listen on, loopback only without TLS (default: ${DEFAULT-VALUE}; port 0 picks one)")
  String listen = "127.0.0.1:7070";

  @Option(names = "--authkey-file", required = true, description = "the key clients present; created (0600, random) if missing")
  Path authkeyFile;

  @Option(names = "--workers", description = "worker JVMs kept started and warm (default: ${DEFAULT-VALUE})")
  int workers;

  @Option(names = "--max-workers", description = "at most this many worker JVMs at once, leased or idle "
      + "(default: the larger of 16 and --workers)")
  Integer maxWorkers;

  @Option(names = "--code-dir", description = "where clients' code is stored by content hash "
      + "(default: jobengine-daemon-code-USER in the temp directory)")
  Path codeDir;

  @Option(names = "--drain-timeout", description = "on SIGTERM, how long clients' running tasks may take to finish "
      + "before they are stopped, in seconds (default: ${DEFAULT-VALUE})")
  long drainSeconds = 30;

  @Option(names = "--classpath", description = "code (jars and class directories, separated by '"
      + "${sys:path.separator}') to store ahead of clients, who then upload none of it")
  String classpath;

  @Option(names = "--log-file", description = "log to this file (the daemon and its workers) instead of the console")
  Path logFile;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "PEM certificate chain: clients connect over TLS (Engine.connect(\"tls:host:port\", ...)); needs --tls-key")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM PKCS#8 private key of --tls-cert")
  Path tlsKey;

  @Option(names = "--tls-client-ca", paramLabel = "FILE",
      description = "PEM CA certificates: clients must present a certificate signed by one of them (mutual TLS)")
  Path tlsClientCa;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    CONNECTION_LOG.setLevel(java.util.logging.Level.WARNING);
    InetSocketAddress address = parse(listen);
    String refused = tlsProblem(listen, address, tlsCert, tlsKey, tlsClientCa);
    if (refused != null) {
      System.err.println("jobengine daemon: " + refused);
      return 2;
    }
    Tls tls = tlsCert == null ? null : Tls.server(tlsCert, tlsKey, tlsClientCa);
    if (tls != null) {
      try {
        tls.serverContext(); // unreadable or invalid files: say so before anything starts
      } catch (IllegalArgumentException e) {
        System.err.println("jobengine daemon: " + e.getMessage());
        return 2;
      }
    }
    if (workers < 0) {
      System.err.println("jobengine daemon: --workers must not be negative, was " + workers);
      return 2;
    }
    int max = maxWorkers == null ? Math.max(16, workers) : maxWorkers;
    if (max < Math.max(1, workers)) {
      System.err.println("jobengine daemon: --max-workers must be at least 1 and at least --workers, was " + max);
      return 2;
    }
    if (drainSeconds < 0) {
      System.err.println("jobengine daemon: --drain-timeout must not be negative, was " + drainSeconds);
      return 2;
    }
    if (logFile != null) { // before the first logger: Logback reads its configuration then
      System.setProperty("jobengine.log.file", logFile.toAbsolutePath().toString());
      System.setProperty("logback.configurationFile", "jobengine-file-logback.xml");
    }
    byte[] key = readOrCreateKey(authkeyFile);
    Path code = codeDir != null ? codeDir
        : Path.of(System.getProperty("java.io.tmpdir"), "jobengine-daemon-code-" + System.getProperty("user.name", "user"));
    EngineImpl engine = EngineImpl.listen(EngineOptions.builder().standbyWorkers(workers).build(), key, address,
        new EngineImpl.DaemonSettings(max, code), tls);
    if (classpath != null) {
      try {
        engine.preloadCode(classpath);
      } catch (java.io.IOException e) {
        System.err.println("jobengine daemon: cannot store --classpath: " + e.getMessage());
        engine.close();
        return 2;
      }
    }
    engine.supervisor().onJoined(w -> {
      out.println("jobengine daemon: worker " + w.pid() + " on " + w.host() + " joined");
      out.flush();
    });
    CountDownLatch ended = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("jobengine daemon: ending");
      out.flush();
      engine.drain(Duration.ofSeconds(drainSeconds));
      engine.close();
      out.println("jobengine daemon: ended");
      out.flush();
      ended.countDown();
      Runtime.getRuntime().halt(0); // a drained end is a normal one, whatever signal asked for it
    }, "jobengine-daemon-end"));
    // over TLS, the address as clients pass it to Engine.connect: tls:host:port
    String listening = (tls == null ? "" : "tls:") + engine.listenAddress().substring("tcp:".length());
    out.println("jobengine daemon listening on " + listening + " (pid "
        + ProcessHandle.current().pid() + ", " + workers + " warm workers, at most " + max
        + (tlsClientCa == null ? "" : ", client certificates required") + ")");
    out.flush();
    ended.await();
    return 0;
  }

  /**
   * Why these TLS options cannot serve {@code address} ({@code listen} as given), or null if they
   * can: the certificate and key go together, a client CA needs them, and only loopback may go
   * without TLS.
   */
  static String tlsProblem(String listen, InetSocketAddress address, Path cert, Path key, Path clientCa) {
    if ((cert == null) != (key == null)) {
      return cert == null ? "--tls-key needs --tls-cert (the certificate of that key)"
          : "--tls-cert needs --tls-key (the certificate's PKCS#8 private key)";
    }
    if (clientCa != null && cert == null) {
      return "--tls-client-ca needs --tls-cert and --tls-key (clients' certificates are checked over TLS)";
    }
    if (cert == null && !address.getAddress().isLoopbackAddress()) {
      return listen + " is not a loopback address; listening beyond this machine needs TLS: "
          + "--tls-cert FILE --tls-key FILE";
    }
    return null;
  }

  static InetSocketAddress parse(String hostPort) throws IOException {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--listen takes host:port, was " + hostPort);
    }
    int port = Integer.parseInt(hostPort.substring(colon + 1));
    return new InetSocketAddress(InetAddress.getByName(hostPort.substring(0, colon)), port);
  }

  /** The key file's content, trimmed; a missing file is created with a random key, readable by its owner only. */
  static byte[] readOrCreateKey(Path file) throws IOException {
    if (!Files.exists(file)) {
      String key = AuthToken.encodeKey(AuthToken.newKey());
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, key + "\n");
      } catch (FileAlreadyExistsException raced) {
        // another daemon created it meanwhile: use its key
      }
    }
    return readKey(file);
  }

  /** The key file's content, trimmed; IllegalArgumentException if it is empty or too large. */
  static byte[] readKey(Path file) throws IOException {
    byte[] content;
    try (InputStream in = Files.newInputStream(file)) {
      content = in.readNBytes(MAX_KEY_BYTES + 1);
    }
    String key = new String(content, StandardCharsets.UTF_8).trim();
    if (key.isEmpty() || content.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("the authkey file " + file + " is empty or over " + MAX_KEY_BYTES + " bytes");
    }
    return key.getBytes(StandardCharsets.UTF_8);
  }
}

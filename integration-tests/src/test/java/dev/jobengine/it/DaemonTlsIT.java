package dev.jobengine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.Engine;
import dev.jobengine.Pool;
import dev.jobengine.JobEngineException;
import dev.jobengine.SharedEvent;
import dev.jobengine.SharedQueue;
import dev.jobengine.it.TestCertificates.Issued;
import dev.jobengine.master.cli.JobEngineCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real daemon over TLS ({@code --tls-cert}, {@code --tls-key}, {@code --tls-client-ca}) and
 * clients connecting with {@code tls:host:port}; certificates made here with keytool.
 */
class DaemonTlsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Well inside Engine.connect's own 10 s bound: a refusal must not wait for it. */
  private static final Duration FAST = Duration.ofSeconds(5);
  private static final String TRUST = "jobengine.tls.trust";
  private static final String CERT = "jobengine.tls.cert";
  private static final String KEY = "jobengine.tls.key";
  /** As jobengine.jar's manifest and the workers have them: no JDK warnings about Netty and protobuf on newer JDKs. */
  private static final List<String> NEWER_JDK_OPTIONS = Runtime.version().feature() >= 23
      ? List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")
      : Runtime.version().feature() >= 22 ? List.of("--enable-native-access=ALL-UNNAMED") : List.of();

  @TempDir static Path certs;
  /** Beyond loopback if this machine has such an address; 127.0.0.1 otherwise. */
  private static InetAddress host;
  /** The daemon's, naming {@link #host}, 127.0.0.1 and localhost. */
  private static Issued daemonCert;
  /** Nobody's CA: trusted by no one. */
  private static Issued stranger;
  private static Issued clientCa;
  private static Issued client;

  @TempDir Path dir;
  private final List<ChildJvm> started = new ArrayList<>();

  @BeforeAll
  static void certificates() throws Exception {
    host = TestCertificates.nonLoopbackAddress().orElse(InetAddress.getByName("127.0.0.1"));
    daemonCert = TestCertificates.selfSigned(certs, "daemon", "ip:" + host.getHostAddress(), "ip:127.0.0.1", "dns:localhost");
    stranger = TestCertificates.selfSigned(certs, "stranger", "ip:127.0.0.1", "dns:localhost");
    clientCa = TestCertificates.selfSigned(certs, "client-ca");
    client = TestCertificates.signedBy(clientCa, certs, "client");
  }

  @AfterEach
  void killLeftovers() {
    started.forEach(ChildJvm::kill);
  }

  private ChildJvm daemon(String listen, int workers, String... tlsOptions) throws Exception {
    List<String> args = new ArrayList<>(List.of("daemon", "--listen", listen, "--authkey-file", dir.resolve("key").toString(),
        "--workers", Integer.toString(workers)));
    args.addAll(List.of(tlsOptions));
    ChildJvm daemon = ChildJvm.start(NEWER_JDK_OPTIONS, JobEngineCli.class, args.toArray(String[]::new));
    started.add(daemon);
    return daemon;
  }

  private ChildJvm tlsDaemon(String listen, int workers) throws Exception {
    return daemon(listen, workers, "--tls-cert", daemonCert.certChain().toString(), "--tls-key",
        daemonCert.privateKey().toString());
  }

  /** The address the daemon prints: {@code tls:host:port} over TLS. */
  private static String address(ChildJvm daemon) throws InterruptedException {
    String line = daemon.await("jobengine daemon listening on ", WAIT);
    return line.substring("jobengine daemon listening on ".length()).split(" ")[0];
  }

  /** Runs {@code body} with these {@code jobengine.tls.*} system properties (null clears one), then restores them. */
  private static <T> T withProperties(Map<String, String> properties, Callable<T> body) throws Exception {
    Map<String, String> before = new HashMap<>();
    for (String name : List.of(TRUST, CERT, KEY)) {
      before.put(name, System.getProperty(name));
      set(name, properties.get(name));
    }
    try {
      return body.call();
    } finally {
      before.forEach(DaemonTlsIT::set);
    }
  }

  private static void set(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }

  private static Map<String, String> trusting(Issued cert) {
    return Map.of(TRUST, cert.certificate().toString());
  }

  /** Engine.connect must fail, well within its bound; returns the failure. */
  private static Throwable refused(String address, Path key) {
    long start = System.nanoTime();
    Throwable t = null;
    try {
      Engine.connect(address, key).close();
    } catch (Throwable e) {
      t = e;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(t).as("connecting to " + address).isInstanceOf(JobEngineException.class);
    assertThat(took).as("refused at once, not after the connect bound: " + t.getMessage()).isLessThan(FAST);
    System.out.printf("refused in %d ms: %s%n", took.toMillis(), t.getMessage());
    return t;
  }

  @Test
  void aTlsDaemonServesTlsClientsAndItsOwnWorkers() throws Exception {
    ChildJvm daemon = tlsDaemon(host.getHostAddress() + ":0", 1);
    String address = address(daemon);
    assertThat(address).startsWith("tls:" + host.getHostAddress() + ":");
    Path key = dir.resolve("key");
    assertThat(Processes.await(WAIT, () -> daemon.process().children().count() == 1)).as("its warm worker").isTrue();
    long worker = daemon.process().children().findFirst().orElseThrow().pid();
    // between fork and exec the child still shows the daemon's command line
    assertThat(Processes.await(WAIT, () -> commandLine(worker).contains("--hub"))).as("the worker's command line").isTrue();
    String hub = argument(worker, "--hub");
    assertThat(hub).as("its workers use a private listener, not the TLS one").matches("unix:.*|tcp:127\\.0\\.0\\.1:.*");
    if (hub.startsWith("unix:")) {
      String socket = hub.substring("unix:".length());
      assertThat(Processes.await(WAIT, () -> connectionsTo(socket) == 1)).as("the worker connected to " + socket).isTrue();
    }

    // another client JVM, configured by system properties on its command line
    ChildJvm other = ChildJvm.start(List.of("-D" + TRUST + "=" + daemonCert.certificate()), DaemonClient.class,
        address, key.toString());
    started.add(other);
    other.await("READY", WAIT);
    withProperties(trusting(daemonCert), () -> {
      try (Engine engine = Engine.connect(address, key)) {
        SharedQueue<String> queue = engine.queue("shared-queue");
        assertThat(queue.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("hello from " + other.process().pid());
        queue.put("over TLS");
        assertThat(queue.take()).isEqualTo("over TLS");
        SharedEvent event = engine.event("tls-event");
        assertThat(event.isSet()).isFalse();
        event.set();
        assertThat(event.await(WAIT)).isTrue();
        assertThat(engine.lock("shared-lock").acquire(Duration.ZERO)).as("the other client holds it").isFalse();
      }
      return null;
    });
    other.process().getOutputStream().close();
    assertThat(other.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(other.process().exitValue()).isZero();

    assertThat(ProcessHandle.of(worker).map(ProcessHandle::isAlive)).as("the warm worker stays").contains(true);
    assertThat(daemon.process().children().map(ProcessHandle::pid).toList()).containsExactly(worker);
    daemon.process().toHandle().destroy(); // SIGTERM
    assertThat(daemon.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(daemon.process().exitValue()).isZero();
    assertThat(Processes.await(WAIT, () -> Processes.isGone(worker))).as("its worker ends").isTrue();
    assertThat(daemon.lines()).as("nothing alarming from the daemon or its worker").noneMatch(DaemonTlsIT::alarming);
  }

  /** Process {@code pid}'s command line, its arguments one per element; empty once it is gone. */
  private static List<String> commandLine(long pid) {
    try {
      return List.of(Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).split("\0"));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The value that follows {@code name} on process {@code pid}'s command line. */
  private static String argument(long pid, String name) throws IOException {
    List<String> args = commandLine(pid);
    int at = args.indexOf(name);
    assertThat(at).as(name + " in " + args).isNotNegative();
    return args.get(at + 1);
  }

  /**
   * Connections accepted on the Unix socket at {@code path}: Linux lists an accepted socket under
   * its listener's path, in state 03 (connected).
   */
  private static long connectionsTo(String path) {
    try {
      return Files.readAllLines(Path.of("/proc/net/unix")).stream()
          .map(l -> l.trim().split("\\s+"))
          .filter(f -> f.length == 8 && f[7].equals(path) && f[5].equals("03"))
          .count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean alarming(String line) {
    return line.contains("WARN") || line.contains("ERROR") || line.contains("SEVERE") || line.contains("Exception")
        || line.contains("[worker");
  }

  @Test
  void aWorkerJoinsOverTlsAndServesAClientsPool() throws Exception {
    ChildJvm daemon = daemon(host.getHostAddress() + ":0", 0, "--max-workers", "1", "--tls-cert",
        daemonCert.certChain().toString(), "--tls-key", daemonCert.privateKey().toString());
    String address = address(daemon);
    List<String> options = new ArrayList<>(NEWER_JDK_OPTIONS);
    options.add("-D" + TRUST + "=" + daemonCert.certificate());
    ChildJvm worker = ChildJvm.start(options, JobEngineCli.class, "worker", "--connect", address,
        "--authkey-file", dir.resolve("key").toString(), "--code-dir", dir.resolve("worker-code").toString());
    started.add(worker);
    daemon.await("jobengine daemon: worker " + worker.process().pid(), WAIT);
    long ranIn = withProperties(trusting(daemonCert), () -> {
      try (Engine engine = Engine.connect(address, dir.resolve("key")); Pool pool = engine.pool(1)) {
        return pool.apply(() -> ProcessHandle.current().pid());
      }
    });
    assertThat(ranIn).as("the worker that joined over TLS ran it").isEqualTo(worker.process().pid());
    daemon.process().toHandle().destroy();
    assertThat(worker.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(worker.process().exitValue()).as("it ends with the daemon").isZero();
  }

  @Test
  void aPlaintextClientIsRefusedAtOnceAndTheDaemonKeepsServing() throws Exception {
    ChildJvm daemon = tlsDaemon("127.0.0.1:0", 0);
    String address = address(daemon);
    String hostPort = address.substring("tls:".length());
    Path key = dir.resolve("key");
    withProperties(trusting(daemonCert), () -> {
      try (Engine engine = Engine.connect(address, key)) {
        SharedQueue<String> queue = engine.queue("q");
        for (int i = 0; i < 3; i++) {
          assertThat(refused(hostPort, key)).hasMessageContaining(hostPort).hasMessageContaining("TLS");
        }
        queue.put("still served");
        assertThat(queue.take()).isEqualTo("still served");
        try (Engine again = Engine.connect(address, key)) {
          assertThat(again.event("e").isSet()).isFalse();
        }
      }
      return null;
    });
    assertThat(daemon.process().isAlive()).isTrue();
    assertThat(daemon.lines()).as("refused connections alarm nobody").noneMatch(DaemonTlsIT::alarming);
  }

  @Test
  void aTlsClientToAPlaintextDaemonIsRefusedAtOnce() throws Exception {
    ChildJvm daemon = daemon("127.0.0.1:0", 0);
    String hostPort = address(daemon);
    Path key = dir.resolve("key");
    withProperties(trusting(daemonCert), () -> {
      assertThat(refused("tls:" + hostPort, key)).hasMessageContaining(hostPort).hasMessageContaining("TLS");
      try (Engine plain = Engine.connect(hostPort, key)) {
        assertThat(plain.event("e").isSet()).as("it still serves plaintext clients").isFalse();
      }
      return null;
    });
    assertThat(daemon.lines()).as("refused connections alarm nobody").noneMatch(DaemonTlsIT::alarming);
  }

  @Test
  void anUntrustedCertificateIsRefused() throws Exception {
    ChildJvm daemon = tlsDaemon("127.0.0.1:0", 0);
    String address = address(daemon);
    Path key = dir.resolve("key");
    withProperties(trusting(stranger), () -> {
      assertThat(refused(address, key)).hasMessageContaining(address.substring("tls:".length()))
          .hasMessageContaining("TLS").hasMessageContaining("certificate");
      return null;
    });
    withProperties(Map.of(), () -> {
      assertThat(refused(address, key)).as("the JDK's trust store knows no self-signed certificate")
          .hasMessageContaining("TLS").hasMessageContaining("certificate");
      return null;
    });
    assertThat(daemon.process().isAlive()).isTrue();
    assertThat(daemon.lines()).as("refused handshakes alarm nobody").noneMatch(DaemonTlsIT::alarming);
  }

  @Test
  void withAClientCaOnlyClientsWithACertificateSignedByItAreAdmitted() throws Exception {
    ChildJvm daemon = daemon("127.0.0.1:0", 0, "--tls-cert", daemonCert.certChain().toString(), "--tls-key",
        daemonCert.privateKey().toString(), "--tls-client-ca", clientCa.certificate().toString());
    String address = address(daemon);
    Path key = dir.resolve("key");
    withProperties(trusting(daemonCert), () -> {
      assertThat(refused(address, key)).as("no client certificate").hasMessageContaining("TLS")
          .hasMessageContaining("certificate");
      return null;
    });
    withProperties(Map.of(TRUST, daemonCert.certificate().toString(), CERT, stranger.certChain().toString(),
        KEY, stranger.privateKey().toString()), () -> {
          assertThat(refused(address, key)).as("a certificate the daemon's CA did not sign")
              .hasMessageContaining("TLS").hasMessageContaining("certificate");
          return null;
        });
    withProperties(Map.of(TRUST, daemonCert.certificate().toString(), CERT, client.certChain().toString(),
        KEY, client.privateKey().toString()), () -> {
          try (Engine engine = Engine.connect(address, key)) {
            engine.event("admitted").set();
            assertThat(engine.event("admitted").isSet()).isTrue();
          }
          return null;
        });
    withProperties(Map.of(TRUST, daemonCert.certificate().toString(), CERT, clientCa.certChain().toString(),
        KEY, clientCa.privateKey().toString()), () -> {
          try (Engine engine = Engine.connect(address, key)) {
            assertThat(engine.event("admitted").isSet()).as("the CA's own self-signed certificate").isTrue();
          }
          return null;
        });
    assertThat(daemon.process().isAlive()).isTrue();
    assertThat(daemon.lines()).as("refused handshakes alarm nobody").noneMatch(DaemonTlsIT::alarming);
  }

  @Test
  void aCertificateWithoutItsKeyOrAnAddressBeyondLoopbackWithoutTlsExitsTwo() throws Exception {
    ChildJvm noKey = daemon("127.0.0.1:0", 0, "--tls-cert", daemonCert.certChain().toString());
    assertThat(noKey.await("jobengine daemon: ", WAIT)).contains("--tls-key");
    assertThat(noKey.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(noKey.process().exitValue()).isEqualTo(2);

    ChildJvm plain = daemon("0.0.0.0:0", 0);
    assertThat(plain.await("jobengine daemon: ", WAIT)).contains("TLS").contains("--tls-cert").contains("--tls-key");
    assertThat(plain.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(plain.process().exitValue()).isEqualTo(2);

    ChildJvm notPem = daemon("127.0.0.1:0", 0, "--tls-cert", dir.resolve("missing.pem").toString(), "--tls-key",
        daemonCert.privateKey().toString());
    assertThat(notPem.await("jobengine daemon: ", WAIT)).contains("missing.pem");
    assertThat(notPem.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(notPem.process().exitValue()).isEqualTo(2);
  }
}

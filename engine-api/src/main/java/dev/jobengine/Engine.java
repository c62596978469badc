package dev.jobengine;

import dev.jobengine.spi.EngineProvider;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * A jobengine master: it starts worker JVMs and hosts the shared objects through which they
 * cooperate. Users compile against this module and run with {@code engine-master} on the class
 * path, where {@link ServiceLoader} finds the implementation.
 *
 * <pre>{@code
 * try (Engine engine = Engine.start(); Pool pool = engine.pool(4)) {
 *   pool.applyAsync(() -> ProcessHandle.current().pid(), pid -> System.out.println("ran in " + pid));
 * }
 * }</pre>
 */
public interface Engine extends AutoCloseable {
  /** Starts an embedded master with default options. */
  static Engine start() {
    return start(EngineOptions.defaults());
  }

  /** Starts an embedded master. */
  static Engine start(EngineOptions options) {
    return provider().start(options);
  }

  /**
   * Connects, as a client, to a running daemon at {@code "host:port"}, or over TLS at {@code
   * "tls:host:port"} (a daemon started with {@code --tls-cert} and {@code --tls-key}). The
   * daemon admits the client only if it presents {@code authkey}, over TLS too.
   *
   * <p>The connected engine offers the same API as an embedded one: its shared objects are the
   * daemon's, and its pools and processes run on the daemon's workers, their code this JVM's class
   * path (or the pool's {@link PoolOptions#classPath()}), sent to the daemon once per content.
   * A pool that sets {@link PoolOptions#jvmOptions()} or {@link PoolOptions#output()} is refused
   * with {@link IllegalArgumentException} (the daemon starts its workers), and one larger than the
   * daemon has room for with {@link JobEngineException}. Closing the engine ends its session: its
   * pools are terminated, its daemon processes killed (others waited for), and the locks, permits
   * and items it held are given back.
   *
   * <p>Over TLS, the daemon's certificate must name {@code host} and chain to a certificate in
   * the PEM file of the system property {@code jobengine.tls.trust}, or, if it is not set, to one
   * the JDK trusts by default. A daemon started with {@code --tls-client-ca} also wants a
   * certificate of the client's, signed by that CA: the system properties {@code
   * jobengine.tls.cert} (the PEM certificate chain) and {@code jobengine.tls.key} (its PEM PKCS#8
   * private key) name them. The properties are read at each connect.
   *
   * <p>Connecting gives up after 10 seconds without a connection; a failure that waiting will
   * not mend fails at once: a failed TLS handshake (an untrusted certificate, a refused client
   * certificate), a TLS client answered in plaintext, or a plaintext client refused by a daemon
   * that listens over TLS. Each throws a {@link JobEngineException} that names the address and
   * says why; so does a wrong authkey. Unreadable TLS files are an {@link IllegalArgumentException}.
   */
  static Engine connect(String target, byte[] authkey) {
    return provider().connect(target, authkey);
  }

  /**
   * Connects to a running daemon at {@code "host:port"} (or {@code "tls:host:port"}, see {@link
   * #connect(String, byte[])}) with the key in {@code authkeyFile}: the file's content, trimmed
   * (at most 4 KiB), is the key, as {@code jobengine daemon --authkey-file} reads it. {@link
   * IllegalArgumentException} if the file cannot be read or is empty.
   */
  static Engine connect(String target, Path authkeyFile) {
    return connect(target, AuthkeyFiles.read(authkeyFile));
  }

  /**
   * Inside a task or process running in a worker: the engine it belongs to. {@link
   * IllegalStateException} elsewhere.
   */
  static Engine current() {
    return provider().current();
  }

  private static EngineProvider provider() {
    return ServiceLoader.load(EngineProvider.class, Engine.class.getClassLoader())
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no jobengine implementation on the class path: add dev.jobengine:engine-master"));
  }

  /** A pool of {@code workers} worker JVMs; zero or less means available processors. */
  Pool pool(int workers);

  Pool pool(PoolOptions options);

  /** A process, not yet started; see {@link EngineProcess}. */
  EngineProcess process(Job target);

  /**
   * A process, not yet started, whose JVM is made as {@code options} say for a pool's worker:
   * its {@link PoolOptions#classPath() class path}, {@link PoolOptions#jvmOptions() JVM options},
   * {@link PoolOptions#output() output}, {@link PoolOptions#startupTimeout() startup timeout} and
   * {@link PoolOptions#livenessTimeout() liveness timeout}; the options that concern a pool's
   * tasks ({@code workers}, {@code retries}, ...) do not apply. An engine that cannot start
   * processes (inside a worker) throws {@link UnsupportedOperationException}, as {@link
   * #process(Job)} does.
   */
  default EngineProcess process(Job target, PoolOptions options) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not start processes");
  }

  /** An unbounded queue; the same name gives the same queue. */
  <E> SharedQueue<E> queue(String name);

  <E> SharedQueue<E> queue(String name, int maxsize);

  <E> JoinableQueue<E> joinableQueue(String name);

  SharedLock lock(String name);

  /** Re-entrant for the same holder. */
  SharedLock rlock(String name);

  SharedSemaphore semaphore(String name, int permits);

  /** Releasing above the initial count fails. */
  SharedSemaphore boundedSemaphore(String name, int permits);

  SharedEvent event(String name);

  SharedBarrier barrier(String name, int parties);

  <K, V> SharedMap<K, V> map(String name);

  <E> SharedList<E> list(String name);

  /** Python's {@code Pipe()}: two connected ends. */
  <E> Pipe<E> pipe(String name);

  /** Terminates daemon processes, waits for the others, stops every pool's workers. */
  @Override
  void close();
}

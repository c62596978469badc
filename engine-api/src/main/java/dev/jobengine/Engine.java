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

  /** Connects, as a client, to a running daemon at {@code "host:port"}. */
  static Engine connect(String target, byte[] authkey) {
    return provider().connect(target, authkey);
  }

  /**
   * Connects to a running daemon at {@code "host:port"} with the key in {@code authkeyFile}: the
   * file's content, trimmed (at most 4 KiB), is the key, as {@code jobengine daemon --authkey-file}
   * reads it. {@link IllegalArgumentException} if the file cannot be read or is empty.
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

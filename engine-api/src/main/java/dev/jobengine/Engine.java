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
 *   pool.applyAsync(() -> ProcessHandle.current().pid(), pid -> System.out.println("ran in " + pid))
 *       .get(); // closing does not wait for tasks: see Pool#close()
 * }
 * }</pre>
 *
 * <h2 id="shared-objects">Shared objects</h2>
 *
 * <p>The factories {@link #queue(String)}, {@link #lock(String)}, ... name
 * an object hosted by the master: the same name always gives the same object, from the master and
 * from every task and process of the engine, and the handle returned may be captured by a task or
 * job (it arrives in the worker bound to the same object). Each factory is one round trip to the
 * master and throws
 *
 * <ul>
 *   <li>{@link NullPointerException} if {@code name} is null, {@link IllegalArgumentException} if
 *       it is empty or a size ({@code maxsize}, {@code permits}, {@code parties}) is out of range;
 *   <li>{@link IllegalStateException} if {@code name} is already an object of another kind or
 *       size, or (in the master) once the engine is closed;
 *   <li>{@link JobEngineException} in a worker or a connected engine whose connection to the
 *       master is lost.
 * </ul>
 *
 * <p>An object lives as long as the engine; nothing removes it.
 */
public interface Engine extends AutoCloseable {
  /**
   * Starts an embedded master with {@link EngineOptions#defaults() default options}; see {@link
   * #start(EngineOptions)}.
   *
   * @return the running engine, to be closed by the caller
   * @throws IllegalStateException if no implementation ({@code engine-master}) is on the class path
   */
  static Engine start() {
    return start(EngineOptions.defaults());
  }

  /**
   * Starts an embedded master: its hub server (where workers connect) and, if the options ask for
   * them, its {@link EngineOptions#standbyWorkers() standby workers}. Returns once the hub listens;
   * it starts no pool worker (pools start their own). An engine that is not closed ends its workers
   * when the JVM exits.
   *
   * @param options the engine's settings
   * @return the running engine, to be closed by the caller
   * @throws IllegalStateException if no implementation ({@code engine-master}) is on the class
   *     path, or {@link EngineOptions.Transport#UNIX} was asked for where Unix domain sockets are
   *     unavailable
   * @throws java.io.UncheckedIOException if the hub server cannot start
   */
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
   *
   * @param target {@code "host:port"} or {@code "tls:host:port"}
   * @param authkey the daemon's key
   * @return the connected engine, to be closed by the caller
   * @throws JobEngineException if no connection is made within 10 seconds, the TLS handshake fails,
   *     or the daemon refuses the authkey
   * @throws IllegalArgumentException if the TLS files named by the system properties cannot be read
   * @throws IllegalStateException if no implementation ({@code engine-master}) is on the class path
   */
  static Engine connect(String target, byte[] authkey) {
    return provider().connect(target, authkey);
  }

  /**
   * Connects to a running daemon at {@code "host:port"} (or {@code "tls:host:port"}, see {@link
   * #connect(String, byte[])}) with the key in {@code authkeyFile}: the file's content, trimmed
   * (at most 4 KiB), is the key, as {@code jobengine daemon --authkey-file} reads it. {@link
   * IllegalArgumentException} if the file cannot be read or is empty.
   *
   * @param target {@code "host:port"} or {@code "tls:host:port"}
   * @param authkeyFile the file holding the daemon's key
   * @return the connected engine, to be closed by the caller
   * @throws IllegalArgumentException if the file cannot be read, is empty or is over 4 KiB
   * @throws JobEngineException as {@link #connect(String, byte[])} does
   */
  static Engine connect(String target, Path authkeyFile) {
    return connect(target, AuthkeyFiles.read(authkeyFile));
  }

  /**
   * Inside a task or process running in a worker: the engine it belongs to, through which it finds
   * shared objects by name. That engine starts no pools or processes ({@link
   * UnsupportedOperationException}), and closing it does nothing.
   *
   * @return the engine of the worker this code runs in
   * @throws IllegalStateException outside a worker JVM (in the master, or in a plain JVM)
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

  /**
   * A pool of {@code workers} worker JVMs with otherwise default {@link PoolOptions}; see {@link
   * #pool(PoolOptions)}.
   *
   * @param workers the number of worker JVMs; zero or less means {@link
   *     Runtime#availableProcessors()}
   * @return the new pool, to be closed (or terminated) by the caller
   * @throws IllegalArgumentException if {@code workers} is above 4096
   * @throws IllegalStateException if the engine is closed
   * @throws UnsupportedOperationException inside a worker ({@link #current()})
   */
  Pool pool(int workers);

  /**
   * A pool of worker JVMs made as {@code options} say. Returns at once: the workers start and
   * connect in the background (taking standby workers first where they fit), and tasks submitted
   * meanwhile wait in the pool's queue. If worker JVMs keep failing to start, the pool breaks: its
   * tasks fail with {@link WorkerLostException} and it takes no new ones. Closing the engine
   * terminates the pool.
   *
   * @param options the pool's settings
   * @return the new pool, to be closed (or terminated) by the caller
   * @throws IllegalStateException if the engine is closed
   * @throws IllegalArgumentException in a connected engine, if {@code options} set JVM options or an
   *     output (the daemon starts its workers)
   * @throws JobEngineException in a connected engine, if the daemon has no room for the pool
   * @throws UnsupportedOperationException inside a worker ({@link #current()})
   */
  Pool pool(PoolOptions options);

  /**
   * A process that will run {@code target} in a JVM of its own, with the default {@link
   * PoolOptions}; not yet started: set its {@link EngineProcess#name(String) name} and {@link
   * EngineProcess#daemon(boolean) daemon} flag, then {@link EngineProcess#start() start} it.
   *
   * @param target the job the process runs
   * @return the new, unstarted process
   * @throws NullPointerException if {@code target} is null
   * @throws IllegalStateException if the engine is closed
   * @throws UnsupportedOperationException inside a worker ({@link #current()})
   */
  EngineProcess process(Job target);

  /**
   * A process, not yet started, whose JVM is made as {@code options} say for a pool's worker:
   * its {@link PoolOptions#classPath() class path}, {@link PoolOptions#jvmOptions() JVM options},
   * {@link PoolOptions#output() output}, {@link PoolOptions#startupTimeout() startup timeout} and
   * {@link PoolOptions#livenessTimeout() liveness timeout}; the options that concern a pool's
   * tasks ({@code workers}, {@code retries}, ...) do not apply. An engine that cannot start
   * processes (inside a worker) throws {@link UnsupportedOperationException}, as {@link
   * #process(Job)} does.
   *
   * @param target the job the process runs
   * @param options how its JVM is made
   * @return the new, unstarted process
   * @throws NullPointerException if {@code target} or {@code options} is null
   * @throws IllegalStateException if the engine is closed
   * @throws UnsupportedOperationException inside a worker
   */
  default EngineProcess process(Job target, PoolOptions options) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not start processes");
  }

  /**
   * The unbounded queue called {@code name}, created if new (Python's {@code Queue()}); the same
   * queue as {@code queue(name, 0)}. Exceptions: see <a href="#shared-objects">shared objects</a>
   * above.
   *
   * @param <E> the type of its items
   * @param name the queue's name
   * @return a handle to the queue
   */
  <E> SharedQueue<E> queue(String name);

  /**
   * The queue called {@code name}, created if new, holding at most {@code maxsize} items (Python's
   * {@code Queue(maxsize)}); puts into a full queue wait or fail as {@link SharedQueue} says.
   *
   * @param <E> the type of its items
   * @param name the queue's name
   * @param maxsize the most items it holds; 0 for no bound
   * @return a handle to the queue
   * @throws IllegalArgumentException if {@code maxsize} is negative
   * @throws IllegalStateException if {@code name} is already a queue of another {@code maxsize}, or
   *     another kind of object
   */
  <E> SharedQueue<E> queue(String name, int maxsize);

  /**
   * The unbounded joinable queue called {@code name}, created if new (Python's {@code
   * JoinableQueue()}). A plain queue of the same name is another kind: {@link
   * IllegalStateException}.
   *
   * @param <E> the type of its items
   * @param name the queue's name
   * @return a handle to the queue
   */
  <E> JoinableQueue<E> joinableQueue(String name);

  /**
   * The lock called {@code name}, created free if new (Python's {@code Lock()}). Not re-entrant: an
   * acquire by the process that holds it waits like any other.
   *
   * @param name the lock's name
   * @return a handle to the lock
   */
  SharedLock lock(String name);

  /**
   * The re-entrant lock called {@code name}, created free if new (Python's {@code RLock()}): the
   * holding process acquires it again at once, and must release it as many times.
   *
   * @param name the lock's name
   * @return a handle to the lock
   */
  SharedLock rlock(String name);

  /**
   * The semaphore called {@code name}, created with {@code permits} permits if new (Python's
   * {@code Semaphore(permits)}); a release may raise the count above {@code permits}.
   *
   * @param name the semaphore's name
   * @param permits the permits it starts with
   * @return a handle to the semaphore
   * @throws IllegalArgumentException if {@code permits} is negative
   * @throws IllegalStateException if {@code name} is already a semaphore of another count, a
   *     bounded one, or another kind of object
   */
  SharedSemaphore semaphore(String name, int permits);

  /**
   * The bounded semaphore called {@code name}, created with {@code permits} permits if new
   * (Python's {@code BoundedSemaphore(permits)}): a release that would raise the count above
   * {@code permits} fails with {@link IllegalStateException}.
   *
   * @param name the semaphore's name
   * @param permits the permits it starts with, and the most it may have
   * @return a handle to the semaphore
   * @throws IllegalArgumentException if {@code permits} is negative
   * @throws IllegalStateException if {@code name} is already a bounded semaphore of another count,
   *     a plain one, or another kind of object
   */
  SharedSemaphore boundedSemaphore(String name, int permits);

  /**
   * The event called {@code name}, created clear if new (Python's {@code Event()}).
   *
   * @param name the event's name
   * @return a handle to the event
   */
  SharedEvent event(String name);

  /**
   * The barrier called {@code name}, created for {@code parties} parties if new (Python's {@code
   * Barrier(parties)}).
   *
   * @param name the barrier's name
   * @param parties how many parties must arrive for it to trip
   * @return a handle to the barrier
   * @throws IllegalArgumentException if {@code parties} is less than 1
   * @throws IllegalStateException if {@code name} is already a barrier of another number of
   *     parties, or another kind of object
   */
  SharedBarrier barrier(String name, int parties);

  /**
   * The map called {@code name}, created empty if new (Python's {@code Manager().dict()}).
   *
   * @param <K> the type of its keys
   * @param <V> the type of its values
   * @param name the map's name
   * @return a handle to the map
   */
  <K, V> SharedMap<K, V> map(String name);

  /**
   * The list called {@code name}, created empty if new (Python's {@code Manager().list()}).
   *
   * @param <E> the type of its elements
   * @param name the list's name
   * @return a handle to the list
   */
  <E> SharedList<E> list(String name);

  /**
   * The pipe called {@code name}, created if new (Python's {@code Pipe()}): two connected ends.
   *
   * @param <E> the type of what goes through it
   * @param name the pipe's name
   * @return a handle to the pipe
   */
  <E> Pipe<E> pipe(String name);

  /**
   * Closes the engine, as Python's parent process does at exit: kills its daemon processes, waits
   * for its other processes to end (without a bound: a process that never ends keeps this waiting,
   * logged every 10 seconds), {@link Pool#terminate() terminates} every pool (so their unfinished
   * tasks fail with {@link PoolTerminatedException}; {@link Pool#join()} a pool first to let its
   * tasks finish) and waits at most {@link EngineOptions#shutdownTimeout()} plus 5 s for their
   * workers, ends the standby workers, then stops the hub. Afterwards calls on the engine and on
   * the master's handles of its shared objects throw {@link IllegalStateException}; workers still
   * connected lose their master. Closing again does nothing. A connected engine ends its session
   * instead (see {@link #connect(String, byte[])}); the engine of a worker ({@link #current()})
   * does nothing.
   */
  @Override
  void close();
}

package dev.jobengine;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Immutable settings of a {@link Pool}; build with {@link #builder()}. */
public final class PoolOptions {
  /**
   * Where a worker's standard output and error go. The master always reads them through pipes (a
   * thread per stream) and, whatever the mode, keeps the last 20 lines of stderr (each cut to 500
   * chars) to quote when a worker dies or fails to start.
   */
  public enum Output {
    /**
     * The master's own console, as Python does: copied to the master's {@code System.out} and
     * {@code System.err} (the Java streams, so that test runners and IDE consoles capture them),
     * flushed as it arrives.
     */
    INHERIT,
    /**
     * The master's logger ({@code dev.jobengine.worker.output}) at INFO, stdout and stderr alike,
     * each line prefixed with the worker; a line longer than 8 KiB is logged in pieces marked
     * {@code [line continues]}, never held whole.
     */
    LOG,
    /** Nowhere: read and dropped. */
    DISCARD
  }

  /** Worker JVM options used when none are given: small start-up cost, one GC thread. */
  public static final List<String> DEFAULT_JVM_OPTIONS =
      List.of("-XX:+UseSerialGC", "-XX:+IgnoreUnrecognizedVMOptions", "-Xshare:auto");

  private final int workers;
  private final List<String> jvmOptions;
  private final int prefetch;
  private final Output output;
  private final Duration startupTimeout;
  private final String classPath;
  private final ClassLoader classLoader;
  private final Duration livenessTimeout;
  private final Duration taskTimeout;
  private final int retries;
  private final int maxTasksPerChild;

  private PoolOptions(Builder b) {
    this.workers = b.workers <= 0 ? Runtime.getRuntime().availableProcessors() : b.workers;
    this.jvmOptions = List.copyOf(b.jvmOptions);
    this.prefetch = b.prefetch;
    this.output = b.output;
    this.startupTimeout = b.startupTimeout;
    this.classPath = b.classPath;
    this.classLoader = b.classLoader;
    this.livenessTimeout = b.livenessTimeout;
    this.taskTimeout = b.taskTimeout;
    this.retries = b.retries;
    this.maxTasksPerChild = b.maxTasksPerChild;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Number of worker JVMs. Default: available processors. */
  public int workers() {
    return workers;
  }

  /** Options for each worker JVM, before the class path. Default {@link #DEFAULT_JVM_OPTIONS}. */
  public List<String> jvmOptions() {
    return jvmOptions;
  }

  /**
   * Tasks a worker may hold at once (one running, the rest queued in it; at most 8 MiB of payload
   * beyond the first). Queued tasks move to an idle worker when one is free. Default 32.
   */
  public int prefetch() {
    return prefetch;
  }

  /** Default {@link Output#INHERIT}. */
  public Output output() {
    return output;
  }

  /** How long a new worker may take to connect before it is killed. Default 60 s. */
  public Duration startupTimeout() {
    return startupTimeout;
  }

  /**
   * The workers' class path, as set; {@code null} (the default) when the workers find the code
   * where the master found it: in the class path of the class loaders that loaded the
   * application's classes, whatever launched it ({@code java -cp}, {@code java -jar} of a fat
   * jar, Maven's {@code exec:java}, an IDE or test runner, a nested-jar launcher such as Spring
   * Boot's, a single-file {@code java App.java} whose classes exist only in memory: their bytes
   * are sent to the workers as they ask for them). The loaders are {@link #classLoader()}, or
   * else the loader of the class that opens the pool or process, that of a process's job, and
   * the opening thread's context class loader. Set it when the classes come from somewhere no
   * class loader can tell; the workers then start on exactly this class path.
   */
  public String classPath() {
    return classPath;
  }

  /**
   * The class loader whose classes the workers load, with its parents; {@code null} (the default)
   * for the loaders named in {@link #classPath()}. Set it where a framework loads the
   * application's classes in a loader of its own that is not the caller's.
   */
  public ClassLoader classLoader() {
    return classLoader;
  }

  /**
   * How long a worker may stay silent: the master pings a worker it has not heard from, and one
   * that answers nothing (no ping, no result) for this long (stopped, frozen, or cut off) is killed
   * and replaced. Its running task fails with {@link WorkerLostException} (or runs again, see
   * {@link #retries()}); the tasks it had not started go to the other workers at once. Raise it for
   * workers with GC pauses longer than that. Default 5 s.
   */
  public Duration livenessTimeout() {
    return livenessTimeout;
  }

  /**
   * How long one task may run: a task still running after this fails with {@link
   * TaskTimeoutException}, and its worker is killed and replaced (the only sure way to stop a
   * task in a JVM). Measured from when the task was sent to a worker free to run it, or from when
   * the worker's previous task ended (so its transit and decoding count), to the master's next
   * check (within a few milliseconds). A map chunk is one task. Null (the default): no limit.
   */
  public Duration taskTimeout() {
    return taskTimeout;
  }

  /**
   * How many times a task lost with its worker (killed, crashed, silent) runs again before it fails
   * with {@link WorkerLostException}. A task that threw, timed out or was cancelled never runs
   * again. A task that ran may so run twice: give retries to idempotent tasks. Default 0.
   */
  public int retries() {
    return retries;
  }

  /**
   * Tasks a worker runs before it is replaced by a fresh JVM, as Python's {@code
   * maxtasksperchild}; 0 (the default) keeps workers for the pool's life.
   */
  public int maxTasksPerChild() {
    return maxTasksPerChild;
  }

  /** Builder of {@link PoolOptions}; {@link #build()} checks every field. */
  public static final class Builder {
    private int workers;
    private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
    private int prefetch = 32;
    private Output output = Output.INHERIT;
    private Duration startupTimeout = Duration.ofSeconds(60);
    private String classPath;
    private ClassLoader classLoader;
    private Duration livenessTimeout = Duration.ofSeconds(5);
    private Duration taskTimeout;
    private int retries;
    private int maxTasksPerChild;

    private Builder() {}

    /** Number of workers; zero or less means available processors. */
    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    public Builder jvmOptions(List<String> jvmOptions) {
      this.jvmOptions = List.copyOf(Objects.requireNonNull(jvmOptions, "jvmOptions"));
      return this;
    }

    public Builder prefetch(int prefetch) {
      this.prefetch = prefetch;
      return this;
    }

    public Builder output(Output output) {
      this.output = Objects.requireNonNull(output, "output");
      return this;
    }

    public Builder startupTimeout(Duration startupTimeout) {
      this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
      return this;
    }

    /** See {@link PoolOptions#classPath()}: the workers start on exactly this class path. */
    public Builder classPath(String classPath) {
      this.classPath = Objects.requireNonNull(classPath, "classPath");
      return this;
    }

    /** See {@link PoolOptions#classLoader()}. */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /** See {@link PoolOptions#livenessTimeout()}; at least 100 ms. */
    public Builder livenessTimeout(Duration livenessTimeout) {
      this.livenessTimeout = Objects.requireNonNull(livenessTimeout, "livenessTimeout");
      return this;
    }

    /** See {@link PoolOptions#taskTimeout()}; null for no limit. */
    public Builder taskTimeout(Duration taskTimeout) {
      this.taskTimeout = taskTimeout;
      return this;
    }

    /** See {@link PoolOptions#retries()}. */
    public Builder retries(int retries) {
      this.retries = retries;
      return this;
    }

    /** See {@link PoolOptions#maxTasksPerChild()}. */
    public Builder maxTasksPerChild(int maxTasksPerChild) {
      this.maxTasksPerChild = maxTasksPerChild;
      return this;
    }

    public PoolOptions build() {
      if (livenessTimeout.compareTo(Duration.ofMillis(100)) < 0) {
        throw new IllegalArgumentException("livenessTimeout must be at least 100 ms, was " + livenessTimeout);
      }
      if (taskTimeout != null && (taskTimeout.isNegative() || taskTimeout.isZero())) {
        throw new IllegalArgumentException("taskTimeout must be positive, was " + taskTimeout);
      }
      if (retries < 0) {
        throw new IllegalArgumentException("retries must not be negative, was " + retries);
      }
      if (maxTasksPerChild < 0) {
        throw new IllegalArgumentException("maxTasksPerChild must not be negative, was " + maxTasksPerChild);
      }
      if (prefetch < 1) {
        throw new IllegalArgumentException("prefetch must be at least 1, was " + prefetch);
      }
      if (startupTimeout.isNegative() || startupTimeout.isZero()) {
        throw new IllegalArgumentException("startupTimeout must be positive, was " + startupTimeout);
      }
      if (workers > 4096) {
        throw new IllegalArgumentException("workers must be at most 4096, was " + workers);
      }
      return new PoolOptions(this);
    }
  }
}

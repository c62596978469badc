package dev.jobengine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Immutable settings of a {@link Pool} (and of the JVM of an {@link EngineProcess}, see {@link
 * Engine#process(Job, PoolOptions)}); build with {@link #builder()}.
 */
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

  /** Read once, before the option lists below that need it. */
  private static final boolean CAN_TRIM_NATIVE_HEAP = canTrimNativeHeap();

  /**
   * Worker JVM options used when none are given: small start-up cost and one GC thread. {@code
   * -XX:+UseSerialGC -XX:+IgnoreUnrecognizedVMOptions -Xshare:auto}, and on Linux with glibc
   * {@code -XX:TrimNativeHeapInterval=1000}: the JVM gives freed native memory (the JIT's, mostly)
   * back to the system every second (JDK 17.0.9 and later; older JVMs ignore it). The heap is the
   * JVM's default (an initial heap of 1/64 of the machine's memory), which large payloads need:
   * with an 8 MB initial heap 16 MiB messages went at a third of the speed. An idle worker then
   * holds about 200 MB resident after 20,000 small tasks; see {@link #SMALL_FOOTPRINT_JVM_OPTIONS}.
   */
  public static final List<String> DEFAULT_JVM_OPTIONS = defaultJvmOptionsWith(List.of());

  /**
   * {@link #DEFAULT_JVM_OPTIONS} with a heap that starts small and shrinks: {@code -Xms8m
   * -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -XX:-ShrinkHeapInSteps}. A worker idle for
   * 1.5 s after tasks runs a full GC, after which the heap shrinks to at most 40% free at once, so
   * an idle worker holds about 80 MB resident rather than 200 (measured after 20,000 small tasks):
   * for pools of many workers with small tasks. Tasks that move large values or keep a large heap
   * busy run slower with it (a small young generation collects more often: 16 MiB messages went at
   * a third of the speed, a map of 200,000 items at four fifths).
   */
  public static final List<String> SMALL_FOOTPRINT_JVM_OPTIONS =
      defaultJvmOptionsWith(List.of("-Xms8m", "-XX:MinHeapFreeRatio=20", "-XX:MaxHeapFreeRatio=40", "-XX:-ShrinkHeapInSteps"));

  private static List<String> defaultJvmOptionsWith(List<String> heap) {
    List<String> options = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:+IgnoreUnrecognizedVMOptions", "-Xshare:auto"));
    options.addAll(heap);
    if (CAN_TRIM_NATIVE_HEAP) {
      options.add("-XX:TrimNativeHeapInterval=1000"); // elsewhere the JVM would warn that it cannot
    }
    return List.copyOf(options);
  }

  /**
   * Linux with glibc (not musl, as on Alpine): where the JVM can trim its native heap. Read with a
   * plain reader at class initialization: a stream pipeline there cost a fresh JVM 19 ms, this 3.
   */
  private static boolean canTrimNativeHeap() {
    if (!System.getProperty("os.name", "").startsWith("Linux")) {
      return false;
    }
    try (java.io.BufferedReader maps = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of("/proc/self/maps"))) {
      String line;
      while ((line = maps.readLine()) != null) {
        if (line.contains("musl")) {
          return false;
        }
      }
      return true;
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }


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

  /**
   * A builder holding the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Number of worker JVMs the pool keeps. Default: {@link Runtime#availableProcessors()}.
   *
   * @return the number of workers, 1 to 4096
   */
  public int workers() {
    return workers;
  }

  /**
   * Options for each worker JVM, before the class path. Default {@link #DEFAULT_JVM_OPTIONS}.
   *
   * @return the options, unmodifiable
   */
  public List<String> jvmOptions() {
    return jvmOptions;
  }

  /**
   * Tasks a worker may hold at once (one running, the rest queued in it; at most 8 MiB of payload
   * beyond the first). Queued tasks move to an idle worker when one is free. Default 32.
   *
   * @return the number of tasks, at least 1
   */
  public int prefetch() {
    return prefetch;
  }

  /**
   * Where the workers' standard output and error go. Default {@link Output#INHERIT}.
   *
   * @return the output mode
   */
  public Output output() {
    return output;
  }

  /**
   * How long a new worker may take to connect before it is killed. Default 60 s.
   *
   * @return the timeout, positive
   */
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
   *
   * @return the class path as set, in the platform's {@code java.class.path} syntax, or null
   */
  public String classPath() {
    return classPath;
  }

  /**
   * The class loader whose classes the workers load, with its parents; {@code null} (the default)
   * for the loaders named in {@link #classPath()}. Set it where a framework loads the
   * application's classes in a loader of its own that is not the caller's.
   *
   * @return the loader as set, or null
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
   *
   * @return the timeout, at least 100 ms
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
   *
   * @return the timeout, or null for none
   */
  public Duration taskTimeout() {
    return taskTimeout;
  }

  /**
   * How many times a task lost with its worker (killed, crashed, silent) runs again before it fails
   * with {@link WorkerLostException}. A task that threw, timed out or was cancelled never runs
   * again. A task that ran may so run twice: give retries to idempotent tasks. Default 0.
   *
   * @return the number of retries, not negative
   */
  public int retries() {
    return retries;
  }

  /**
   * Tasks a worker runs before it is replaced by a fresh JVM, as Python's {@code
   * maxtasksperchild}; 0 (the default) keeps workers for the pool's life.
   *
   * @return the number of tasks, or 0 for no limit
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

    /**
     * Sets {@link PoolOptions#workers()}; checked by {@link #build()}.
     *
     * @param workers the number of workers, at most 4096; zero or less means {@link
     *     Runtime#availableProcessors()}
     * @return this builder
     */
    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    /**
     * Sets {@link PoolOptions#jvmOptions()}, replacing the defaults (copied).
     *
     * @param jvmOptions the options, such as {@code -Xmx512m}
     * @return this builder
     * @throws NullPointerException if the list or one of its elements is null
     */
    public Builder jvmOptions(List<String> jvmOptions) {
      this.jvmOptions = List.copyOf(Objects.requireNonNull(jvmOptions, "jvmOptions"));
      return this;
    }

    /**
     * Sets {@link PoolOptions#prefetch()}; checked by {@link #build()}.
     *
     * @param prefetch tasks a worker may hold at once, at least 1
     * @return this builder
     */
    public Builder prefetch(int prefetch) {
      this.prefetch = prefetch;
      return this;
    }

    /**
     * Sets {@link PoolOptions#output()}.
     *
     * @param output where the workers' output goes
     * @return this builder
     * @throws NullPointerException if {@code output} is null
     */
    public Builder output(Output output) {
      this.output = Objects.requireNonNull(output, "output");
      return this;
    }

    /**
     * Sets {@link PoolOptions#startupTimeout()}; checked by {@link #build()}.
     *
     * @param startupTimeout the timeout, positive
     * @return this builder
     * @throws NullPointerException if {@code startupTimeout} is null
     */
    public Builder startupTimeout(Duration startupTimeout) {
      this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
      return this;
    }

    /**
     * Sets {@link PoolOptions#classPath()}: the workers start on exactly this class path.
     *
     * @param classPath the workers' class path
     * @return this builder
     * @throws NullPointerException if {@code classPath} is null
     */
    public Builder classPath(String classPath) {
      this.classPath = Objects.requireNonNull(classPath, "classPath");
      return this;
    }

    /**
     * Sets {@link PoolOptions#classLoader()}.
     *
     * @param classLoader the loader whose classes the workers load, with its parents
     * @return this builder
     * @throws NullPointerException if {@code classLoader} is null
     */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /**
     * Sets {@link PoolOptions#livenessTimeout()}; checked by {@link #build()}.
     *
     * @param livenessTimeout the timeout, at least 100 ms
     * @return this builder
     * @throws NullPointerException if {@code livenessTimeout} is null
     */
    public Builder livenessTimeout(Duration livenessTimeout) {
      this.livenessTimeout = Objects.requireNonNull(livenessTimeout, "livenessTimeout");
      return this;
    }

    /**
     * Sets {@link PoolOptions#taskTimeout()}; checked by {@link #build()}.
     *
     * @param taskTimeout the timeout, positive; null for no limit
     * @return this builder
     */
    public Builder taskTimeout(Duration taskTimeout) {
      this.taskTimeout = taskTimeout;
      return this;
    }

    /**
     * Sets {@link PoolOptions#retries()}; checked by {@link #build()}.
     *
     * @param retries how many times a lost task runs again, not negative
     * @return this builder
     */
    public Builder retries(int retries) {
      this.retries = retries;
      return this;
    }

    /**
     * Sets {@link PoolOptions#maxTasksPerChild()}; checked by {@link #build()}.
     *
     * @param maxTasksPerChild tasks per worker JVM, not negative; 0 for no limit
     * @return this builder
     */
    public Builder maxTasksPerChild(int maxTasksPerChild) {
      this.maxTasksPerChild = maxTasksPerChild;
      return this;
    }

    /**
     * Checks every field and makes the options. The builder may be used again afterwards.
     *
     * @return the options
     * @throws IllegalArgumentException naming the field, if {@code livenessTimeout} is under 100 ms,
     *     {@code taskTimeout} not positive, {@code retries} or {@code maxTasksPerChild} negative,
     *     {@code prefetch} under 1, {@code startupTimeout} not positive, or {@code workers} above
     *     4096
     */
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

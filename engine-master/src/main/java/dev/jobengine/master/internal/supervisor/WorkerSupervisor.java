package dev.jobengine.master.internal.supervisor;

import dev.jobengine.PoolOptions;
import dev.jobengine.master.internal.hub.HubGrpcService;
import dev.jobengine.master.internal.metrics.EngineCounters;
import dev.jobengine.master.internal.hub.WorkerEndpoint;
import dev.jobengine.proto.Hello;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.ResultBatch;
import dev.jobengine.proto.Revoked;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the lives of the engine's worker JVMs, for pools, processes and standby workers alike:
 * starts one (on the launcher thread, or by adopting a standby worker), binds its stream, checks
 * that the JVM that says hello is the one it started, kills one that does not connect within the
 * startup timeout or loses its stream, and when the process ends gives back everything it held in
 * the master before telling its owner. What to do about a lost worker (replace it, fail a task,
 * give up) is the owner's.
 *
 * <p>Only a few JVMs start at once ({@link StartGate}): the next as one connects or ends.
 *
 * <p>Threads: forks and their file I/O run on the launcher executor; the timer runs timeouts only.
 */
public final class WorkerSupervisor {
  private static final Logger log = LoggerFactory.getLogger(WorkerSupervisor.class);
  /** How long a worker without its stream may live before it is killed. */
  private static final Duration WITHOUT_STREAM = Duration.ofSeconds(1);
  /** How long the explanation of a worker's end waits for the rest of its stderr. */
  private static final Duration TAIL_WAIT = Duration.ofMillis(200);
  /** Bounds of the liveness sweep's period (a quarter of the shortest liveness timeout). */
  private static final Duration SWEEP_MIN = Duration.ofMillis(25);
  private static final Duration SWEEP_MAX = Duration.ofSeconds(1);
  /**
   * JVM options with which no JVM starts ("Too small maximum heap"), whatever initial heap the
   * worker's own options set: a worker given them fails to start.
   */
  static final List<String> INJECTED_FAILURE = List.of("-Xms1k", "-Xmx1k");

  private final WorkerLauncher launcher;
  private final HubGrpcService hub;
  private final LongConsumer sessionEnded;
  private final ScheduledExecutorService timer;
  private final Executor launches;
  private final Duration shutdownTimeout;
  private final AtomicInteger ids = new AtomicInteger();
  private volatile int maxWorkers; // 0: no fleet
  private volatile java.util.function.Consumer<SupervisedWorker> joinListener = w -> {};
  private final StandbyWorkers standby;
  /** How many JVMs start at once. */
  private final StartGate gate = new StartGate(StartGate.DEFAULT_LIMIT);
  /** Counts worker starts and deaths in {@code counters} from now on. */
  public void countIn(EngineCounters counters) {
    this.counters = counters;
  }

  /** How many workers {@link #liveWorkers()} lists. */
  public int liveCount() {
    return live.size();
  }

  /** Every worker started whose end has not been handled yet. */
  private final Map<Integer, SupervisedWorker> live = new ConcurrentHashMap<>();
  private volatile EngineCounters counters = new EngineCounters(null);
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private long lastSweep; // on the timer only
  private long lastPeriod; // on the timer only
  /** Fault injection: starts still to fail, and how long to hold a connecting worker. */
  private final AtomicInteger startsToFail = new AtomicInteger();
  private volatile Duration connectDelay = Duration.ZERO;

  /**
   * {@code sessionEnded} gives back what a worker's session held; {@code timer} runs timeouts;
   * {@code launches} runs forks and file I/O, one at a time.
   */
  public WorkerSupervisor(WorkerLauncher launcher, HubGrpcService hub, LongConsumer sessionEnded,
      ScheduledExecutorService timer, Executor launches, Duration shutdownTimeout, int standbyWorkers) {
    this.launcher = launcher;
    this.hub = hub;
    this.sessionEnded = sessionEnded;
    this.timer = timer;
    this.launches = launches;
    this.shutdownTimeout = shutdownTimeout;
    this.standby = new StandbyWorkers(this, standbyWorkers);
  }

  private volatile dev.jobengine.master.internal.code.ServedClasses servedClasses =
      new dev.jobengine.master.internal.code.ServedClasses(1 << 20);

  /** Where leases whose classes are in no file register their loaders; the hub serves it. */
  public void servedClasses(dev.jobengine.master.internal.code.ServedClasses served) {
    this.servedClasses = served;
  }

  /** See {@link #servedClasses(dev.jobengine.master.internal.code.ServedClasses)}. */
  public dev.jobengine.master.internal.code.ServedClasses servedClasses() {
    return servedClasses;
  }

  /**
   * The Serve message of lease {@code name}, of a pool or process with these options whose
   * application classes come from {@code loaders}: the application's part of its class path, and
   * whether its workers ask for classes in no file (the loaders are registered for that). Throws
   * JobEngineException when its code cannot be found.
   */
  public dev.jobengine.proto.Serve serve(String name, PoolOptions options, java.util.Collection<ClassLoader> loaders) {
    WorkerClassPath code = applicationClassPath(options, loaders);
    servedClasses.register(name, code.served());
    return dev.jobengine.proto.Serve.newBuilder().setLease(name).addAllClassPath(code.application())
        .setServedClasses(!code.served().isEmpty()).build();
  }

  /** What a lease of a pool or process with these options loads: the application's part of its class path. */
  public WorkerClassPath applicationClassPath(PoolOptions options, java.util.Collection<ClassLoader> loaders) {
    return launcher.applicationClassPath(options, loaders);
  }

  /** Starts the standby workers, if any, in the background. */
  public void start() {
    standby.start();
  }

  // ---- a daemon's fleet --------------------------------------------------------------------------

  /**
   * Makes the workers a daemon's fleet: pools lease them and give them back ({@link #giveBack}),
   * workers may join of their own accord ({@link #joined}), and at most {@code maxWorkers} are
   * live at once, but for replacements of lost ones.
   */
  public void fleet(int maxWorkers) {
    if (maxWorkers < 1) {
      throw new IllegalArgumentException("maxWorkers must be at least 1, was " + maxWorkers);
    }
    this.maxWorkers = maxWorkers;
  }

  /** Whether workers are leased and given back (a daemon's) rather than ended with their pool. */
  public boolean isFleet() {
    return maxWorkers > 0;
  }

  /** The fleet's bound on live workers; 0 for none (an embedded engine). */
  public int maxWorkers() {
    return maxWorkers;
  }

  /** Whether {@code count} more workers may be started without passing {@link #maxWorkers()}. */
  boolean roomFor(int count) {
    return maxWorkers == 0 || live.size() + count <= maxWorkers;
  }

  /** Workers serving a pool or process now (live, and not waiting idle). */
  public int leased() {
    return Math.max(0, live.size() - standby.idleCount());
  }

  /**
   * A daemon's pool or process is done with {@code w}, which holds no task: what its lease held in
   * the master (locks, permits, taken items) comes back, and it waits, warm, for the next lease.
   */
  public void giveBack(SupervisedWorker w) {
    sessionEnded.accept(w.id());
    standby.returned(w);
  }

  /**
   * A worker that connected of its own accord ({@code jobengine worker --connect}) joins the
   * fleet, idle; an engine that is not a daemon refuses it.
   */
  public WorkerEndpoint joined(Hello hello) {
    if (!isFleet()) {
      return null;
    }
    int id = ids.incrementAndGet();
    JoinedProcess process = new JoinedProcess(hello.getPid(), hello.getHost().isEmpty() ? "unknown" : hello.getHost());
    SupervisedWorker w = new SupervisedWorker(id, process, OutputStream.nullOutputStream(), standby,
        PoolOptions.builder().build().livenessTimeout());
    process.onDestroy(w::cutStream);
    live.put(id, w);
    counters.workerStarted();
    standby.joined(w);
    w.process().onExit().thenRun(() -> gone(w));
    log.info("{} joined from {} ({})", w, process.host(), hello.getJvm());
    return new Endpoint(w);
  }

  /** Told of each worker that joined of its own accord, once it is in the fleet. */
  public void onJoined(java.util.function.Consumer<SupervisedWorker> listener) {
    this.joinListener = listener;
  }

  /**
   * A worker JVM for {@code owner}: a standby one if one fits (its replacement starts in the
   * background), else one started on the launcher thread at once (a process's: its caller waits
   * for the JVM). Completes once the process exists (not yet connected), or fails with the
   * IOException of a JVM that could not be started.
   */
  public CompletableFuture<SupervisedWorker> start(PoolOptions options, WorkerOwner owner) {
    return start(options, owner, false);
  }

  /**
   * As {@link #start(PoolOptions, WorkerOwner)}, but a JVM to be started waits for its turn: only
   * a few start at once ({@link StartGate}), so that the first connect early. A pool's workers start
   * so. Its startup timeout counts from its turn; one whose JVM is not forked within it fails
   * with a TimeoutException. Completes with null, starting none, if by its turn its owner no longer
   * {@linkplain WorkerOwner#wantsWorker() wants} it.
   */
  public CompletableFuture<SupervisedWorker> startInTurn(PoolOptions options, WorkerOwner owner) {
    return start(options, owner, true);
  }

  private CompletableFuture<SupervisedWorker> start(PoolOptions options, WorkerOwner owner, boolean inTurn) {
    SupervisedWorker adopted;
    while ((adopted = standby.take(options)) != null) {
      if (adopted.adopt(owner, options.livenessTimeout())) {
        return CompletableFuture.completedFuture(adopted);
      }
    }
    CompletableFuture<SupervisedWorker> started = new CompletableFuture<>();
    AtomicBoolean claimed = new AtomicBoolean(); // by the fork, or by the timeout of a fork that is late
    Launch fork = () -> {
      if (!claimed.compareAndSet(false, true)) {
        return null;
      }
      if (!owner.wantsWorker()) {
        started.complete(null); // it waited for its turn, and its owner has ended meanwhile
        return null;
      }
      try {
        SupervisedWorker w = launch(options, owner, false);
        started.complete(w);
        return w;
      } catch (IOException | RuntimeException e) {
        started.completeExceptionally(e);
        return null;
      }
    };
    Launch refused = () -> {
      started.completeExceptionally(new IllegalStateException("the engine is closing"));
      return null;
    };
    if (inTurn) {
      gate.enter(() -> {
        schedule(() -> {
          if (claimed.compareAndSet(false, true)) {
            started.completeExceptionally(new TimeoutException(
                "the JVM was not started within " + options.startupTimeout() + " of its turn"));
          }
        }, options.startupTimeout());
        forkNow(fork, refused);
      });
    } else {
      gate.enterNow();
      forkNow(fork, refused);
    }
    return started;
  }

  /** A fork on the launcher thread: the worker it started, or null for none. */
  @FunctionalInterface
  interface Launch {
    SupervisedWorker run();
  }

  /**
   * Runs {@code launch} on the launcher thread once it is the turn of one more JVM to start ({@link
   * StartGate}); one that starts none gives its turn to the next.
   */
  void launchInTurn(Launch launch) {
    gate.enter(() -> forkNow(launch, launch)); // at once if the engine is closing (it checks)
  }

  /**
   * Runs {@code launch}, which holds a place in the start gate, on the launcher thread; {@code
   * refused} instead, on this thread, if the engine is closing.
   */
  private void forkNow(Launch launch, Launch refused) {
    try {
      launches.execute(() -> runHoldingPlace(launch));
    } catch (RejectedExecutionException e) {
      runHoldingPlace(refused);
    }
  }

  private void runHoldingPlace(Launch launch) {
    SupervisedWorker w = null;
    try {
      w = launch.run();
    } finally {
      if (w == null) {
        gate.leave(); // it started none: the place is the next one's
      }
    }
  }

  /** A worker that held a place in the start gate connected or ended: the next JVM in line starts. */
  private void leaveGate(SupervisedWorker w) {
    if (w.leaveStartPlace()) {
      gate.leave();
    }
  }

  /** Runs {@code task} on the launcher thread (forks, file I/O); at once if the engine is closing. */
  void onLauncher(Runnable task) {
    try {
      launches.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  /** On the launcher thread: starts a JVM for {@code owner} and watches over it. */
  SupervisedWorker launch(PoolOptions options, WorkerOwner owner, boolean asStandby) throws IOException {
    int id = ids.incrementAndGet();
    List<String> faults = startsToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? INJECTED_FAILURE : List.of();
    WorkerLauncher.Started started = launcher.launch(options, id, asStandby, this::onLauncher, faults);
    SupervisedWorker w = new SupervisedWorker(id, started.process(), started.stdin(), owner, options.livenessTimeout());
    if (started.recordsClassData()) {
      w.recordsClassData();
    }
    w.holdStartPlace(); // from its launch until it connects or ends
    w.stderrTail(() -> endedTail(started.output(), w));
    live.put(id, w);
    counters.workerStarted();
    owner.started(w);
    hub.register(id, new Endpoint(w));
    w.process().onExit().thenRun(() -> gone(w));
    schedule(() -> {
      if (!w.connected() && w.process().isAlive()) {
        log.warn("{} did not connect within {}; killing it", w, options.startupTimeout());
        w.killForStartup("it did not connect within the startup timeout of " + options.startupTimeout());
      }
    }, options.startupTimeout());
    return w;
  }

  /**
   * The last stderr lines of a worker that ended, once read to the end (within a bound); for one
   * that never connected its last stdout lines too, where a JVM that cannot start says why.
   */
  private static List<String> endedTail(WorkerOutput output, SupervisedWorker w) {
    try {
      output.awaitEnd(TAIL_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (w.connected()) {
      return output.stderrTail();
    }
    List<String> lines = new ArrayList<>(output.stderrTail());
    output.stdoutTail().forEach(line -> lines.add("(stdout) " + line));
    return lines;
  }

  /** SIGTERM now, SIGKILL if it has not exited after the shutdown timeout. */
  public void terminate(SupervisedWorker w) {
    w.signalTerminate();
    schedule(w::kill, w.exitGrace(shutdownTimeout));
  }

  /** Ends the standby workers nobody adopted, waiting at most {@code timeout}. */
  public void close(Duration timeout) {
    standby.close(timeout);
  }

  boolean hasStandby() {
    return standby.target() > 0;
  }

  private void schedule(Runnable action, Duration delay) {
    schedule(action, delay.toNanos());
  }

  /** Runs {@code action} on the timer after {@code delayNanos}; dropped if the engine is closing. */
  public void schedule(Runnable action, long delayNanos) {
    try {
      timer.schedule(action, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      // the engine is closing: it ends its workers itself
    }
  }

  // ---- liveness ------------------------------------------------------------------------------

  /**
   * On the timer, while any worker is connected: a worker silent for a third of its liveness
   * timeout is pinged (any message it sends counts as an answer); one silent for the whole timeout
   * is killed, and its end is handled as any other. A sweep that runs late (the master itself was
   * paused, by a long GC say) counts every worker's silence from then: their answers may be
   * waiting unread.
   */
  private void sweep() {
    long now = System.nanoTime();
    boolean late = lastSweep != 0 && now - lastSweep > 2 * lastPeriod + TimeUnit.MILLISECONDS.toNanos(100);
    lastSweep = now;
    long period = Long.MAX_VALUE;
    for (SupervisedWorker w : live.values()) {
      if (!w.connected() || !w.process().isAlive()) {
        continue;
      }
      if (late) {
        w.heard(); // the master was not listening: each worker's silence counts from now
      }
      long timeout = w.livenessTimeout().toNanos();
      period = Math.min(period, timeout / 4);
      long silent = w.silentNanos(now);
      if (silent >= timeout) {
        log.warn("{} did not answer for {} ms; killing it", w, TimeUnit.NANOSECONDS.toMillis(silent));
        w.kill("it did not answer for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms (liveness timeout "
            + w.livenessTimeout() + ")");
      } else if (silent >= timeout / 3) {
        w.ping(now, timeout / 3);
      }
    }
    if (period == Long.MAX_VALUE) {
      sweeping.set(false);
      lastSweep = 0;
      if (live.values().stream().noneMatch(SupervisedWorker::connected) || !sweeping.compareAndSet(false, true)) {
        return; // the next worker to connect starts the sweeps again
      }
      period = SWEEP_MAX.toNanos();
    }
    lastPeriod = Math.max(SWEEP_MIN.toNanos(), Math.min(SWEEP_MAX.toNanos(), period));
    schedule(this::sweep, lastPeriod);
  }

  private void startSweeping() {
    if (sweeping.compareAndSet(false, true)) {
      schedule(this::sweep, SWEEP_MIN.toNanos());
    }
  }

  // ---- fault injection -------------------------------------------------------------------------

  /** The next {@code count} JVMs started fail before they connect (see {@link #INJECTED_FAILURE}). */
  public void failStarts(int count) {
    startsToFail.set(count);
  }

  /** Connecting workers are accepted only after {@code delay}. */
  public void delayConnects(Duration delay) {
    connectDelay = delay;
  }

  /** The live worker with this pid, if any. */
  public Optional<SupervisedWorker> byPid(long pid) {
    return live.values().stream().filter(w -> w.pid() == pid).findFirst();
  }

  /** Every worker started whose end has not been handled yet. */
  public List<SupervisedWorker> liveWorkers() {
    return List.copyOf(live.values());
  }

  /**
   * Fails the worker's stream as a network fault would, then treats it as any worker that lost its
   * stream (killed after a short grace). False if it is not connected.
   */
  public boolean cut(SupervisedWorker w) {
    if (!w.cutStream()) {
      return false;
    }
    schedule(w::kill, WITHOUT_STREAM);
    return true;
  }

  /** The process ended: release what it held, then tell its owner. */
  private void gone(SupervisedWorker w) {
    if (!w.markGone()) {
      return;
    }
    live.remove(w.id());
    leaveGate(w);
    if (!w.retiring() && !exitedCleanly(w)) {
      counters.workerDied();
    }
    hub.unregister(w.id());
    w.closeStdin();
    sessionEnded.accept(w.id());
    w.owner().gone(w);
    if (isFleet()) {
      standby.refill(); // a leased worker that ended leaves room: the fleet keeps --workers warm
    }
  }

  /** Whether it exited of its own accord with status 0 (a process whose job ended). */
  private static boolean exitedCleanly(SupervisedWorker w) {
    return !w.process().isAlive() && w.process().exitValue() == 0;
  }

  /** The worker's stream, as the hub hands it over. */
  private final class Endpoint implements WorkerEndpoint {
    private final SupervisedWorker worker;

    Endpoint(SupervisedWorker worker) {
      this.worker = worker;
    }

    @Override
    public void connected(Hello hello, StreamObserver<MasterMessage> out) {
      if (worker.joined()) {
        attach(out);
        joinListener.accept(worker);
        return;
      }
      if (hello.getPid() != worker.pid()) {
        log.warn("{} reported pid {}; refused", worker, hello.getPid());
        out.onError(Status.FAILED_PRECONDITION.withDescription("pid mismatch").asRuntimeException());
        return;
      }
      Duration delay = connectDelay;
      if (delay.isZero()) {
        attach(out);
      } else {
        schedule(() -> attach(out), delay);
      }
    }

    private void attach(StreamObserver<MasterMessage> out) {
      if (worker.isGone()) {
        return; // it ended while held back (fault injection)
      }
      worker.heard();
      worker.attach(out);
      leaveGate(worker);
      startSweeping();
    }

    @Override
    public void heard() {
      worker.heard();
    }

    @Override
    public void results(ResultBatch batch) {
      worker.resultsArrived(batch.getResultsCount());
      worker.owner().results(worker, batch);
    }

    @Override
    public void revoked(Revoked revoked) {
      worker.owner().revoked(worker, revoked);
    }

    /**
     * A worker without its stream is of no use: make sure it ends; its exit does the rest. One
     * that ended its stream itself (it finished) gets the shutdown timeout to exit on its own.
     */
    @Override
    public void disconnected(Throwable cause) {
      if (worker.process() instanceof JoinedProcess joined) {
        joined.ended(cause == null ? 0 : JoinedProcess.BROKE); // it exits as its stream ends
        return;
      }
      if (worker.process().isAlive()) {
        if (cause == null) {
          worker.closeStdin(); // it ended its stream: on its way out, it needs its stdin no more
        }
        schedule(worker::kill, cause == null ? worker.exitGrace(shutdownTimeout) : WITHOUT_STREAM);
      }
    }
  }
}

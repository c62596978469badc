package dev.jobengine.master.internal.supervisor;

import dev.jobengine.proto.BecomeProcess;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.Ping;
import dev.jobengine.proto.Shutdown;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker JVM as the master sees it: the process, its stdin, its stream once connected, and its
 * owner (a pool, a process, or the standby workers until one of those adopts it). The {@link
 * WorkerSupervisor} drives its life; owners send it messages and ask it to stop.
 */
public final class SupervisedWorker {
  private static final Logger log = LoggerFactory.getLogger(SupervisedWorker.class);
  private static final MasterMessage SHUTDOWN =
      MasterMessage.newBuilder().setShutdown(Shutdown.getDefaultInstance()).build();
  private static final MasterMessage PING = MasterMessage.newBuilder().setPing(Ping.getDefaultInstance()).build();

  private final int id;
  private final Process process;
  private final OutputStream stdin;
  private final Object sendLock = new Object();
  private final AtomicBoolean gone = new AtomicBoolean();
  /** It holds a place among the JVMs starting at once ({@link StartGate}) until it connects or ends. */
  private final AtomicBoolean startPlace = new AtomicBoolean();
  private volatile StreamObserver<MasterMessage> stream; // written under this
  private volatile boolean retiring;
  /** Why the master killed it, if it did; quoted when its end is explained. */
  private volatile String killReason;
  private volatile boolean killedForStartup;
  /** When the master last heard from it (any message), in System.nanoTime(). */
  private volatile long lastHeard = System.nanoTime();
  private volatile long lastPing;
  private volatile Duration livenessTimeout;
  private volatile boolean recordsClassData;
  private volatile Supplier<List<String>> stderrTail = List::of;
  private WorkerOwner owner; // guarded by this
  private final long startedMillis = System.currentTimeMillis();
  private final long startedNanos = System.nanoTime();
  private final AtomicLong tasksDone = new AtomicLong();

  SupervisedWorker(int id, Process process, OutputStream stdin, WorkerOwner owner, Duration livenessTimeout) {
    this.id = id;
    this.process = process;
    this.stdin = stdin;
    this.owner = owner;
    this.livenessTimeout = livenessTimeout;
  }

  void holdStartPlace() {
    startPlace.set(true);
  }

  /** True the first time only, if it held a place among the JVMs starting at once. */
  boolean leaveStartPlace() {
    return startPlace.compareAndSet(true, false);
  }

  /** Where the last lines of the worker's stderr can be read, to explain its end. */
  void stderrTail(Supplier<List<String>> tail) {
    this.stderrTail = tail;
  }

  /** The worker's id, which is also its session for shared objects. */
  public int id() {
    return id;
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  /** Whether it said hello and proved to be this process. */
  public boolean connected() {
    return stream != null;
  }

  /** Asked to stop (normal close or terminate): its exit is expected, not a loss to replace. */
  public boolean retiring() {
    return retiring;
  }

  synchronized WorkerOwner owner() {
    return owner;
  }

  /** The stream is up: from now on messages go to the worker; tells the owner at the time. */
  void attach(StreamObserver<MasterMessage> out) {
    WorkerOwner o;
    synchronized (this) {
      stream = out;
      o = owner;
    }
    o.connected(this);
  }

  /**
   * From now on {@code next} owns the worker (a standby one adopted); if the worker is connected
   * already, {@code next} hears of it now, else when it connects. Either way exactly once. False
   * if the worker has ended already (then nothing changes).
   */
  boolean adopt(WorkerOwner next, Duration nextLivenessTimeout) {
    boolean isConnected;
    synchronized (this) {
      if (gone.get()) {
        return false; // its end is already on its way to the previous owner
      }
      owner = next;
      livenessTimeout = nextLivenessTimeout;
      isConnected = stream != null;
    }
    next.started(this);
    if (isConnected) {
      next.connected(this);
    }
    return true;
  }

  // ---- liveness ------------------------------------------------------------------------------

  /** A message came from the worker: it is alive. */
  void heard() {
    lastHeard = System.nanoTime();
  }

  Duration livenessTimeout() {
    return livenessTimeout;
  }

  /** Nanoseconds since the worker was last heard from. */
  long silentNanos(long now) {
    return now - lastHeard;
  }

  /** Pings the worker unless a ping went out less than {@code minInterval} nanoseconds ago. */
  void ping(long now, long minInterval) {
    if (now - lastPing >= minInterval) {
      lastPing = now;
      send(PING);
    }
  }

  /** Its end has been handled (or is being handled). */
  boolean isGone() {
    return gone.get();
  }

  /** True the first time only: the worker's end is handled once. */
  boolean markGone() {
    return gone.compareAndSet(false, true);
  }

  /** Sends a message on the worker's stream; dropped (logged) if the stream is already closed. */
  public void send(MasterMessage message) {
    StreamObserver<MasterMessage> s = stream;
    if (s == null) {
      throw new IllegalStateException(this + " is not connected");
    }
    synchronized (sendLock) {
      try {
        s.onNext(message);
      } catch (RuntimeException e) {
        // the stream is already closed; the worker's exit will be handled through onExit
        log.debug("could not send {} to {}: {}", message.getKindCase(), this, e.toString());
      }
    }
  }

  /** Fails the stream as a network fault would; false if it is not connected. */
  boolean cutStream() {
    StreamObserver<MasterMessage> s = stream;
    if (s == null) {
      return false;
    }
    synchronized (sendLock) {
      try {
        s.onError(Status.UNAVAILABLE.withDescription("connection cut").asRuntimeException());
      } catch (RuntimeException e) {
        log.debug("the stream of {} was closed already", this, e);
      }
    }
    return true;
  }

  /** The worker runs one EngineProcess job, named {@code name}, rather than pool tasks. */
  public void becomeProcess(String name) {
    send(MasterMessage.newBuilder().setBecomeProcess(BecomeProcess.newBuilder().setName(name)).build());
  }

  /** Finish what was sent, then exit; a worker that never connected is ended at once. */
  public void retire() {
    retiring = true;
    if (connected()) {
      send(SHUTDOWN);
    } else {
      process.destroyForcibly();
    }
  }

  /**
   * SIGTERM now, through the process handle: {@link Process#destroy()} would also close the
   * worker's stdin, whose end it takes for its master's death (exit status 3) and may act on
   * before the signal.
   */
  void signalTerminate() {
    retiring = true;
    if (process instanceof JoinedProcess) {
      process.destroy(); // it is not ours to signal: its stream ends
    } else {
      process.toHandle().destroy();
    }
  }

  /** SIGKILL now. */
  public void kill() {
    process.destroyForcibly();
  }

  /** SIGKILL now, for {@code reason} (quoted when its end is explained), unless it is gone. */
  public void kill(String reason) {
    if (process.isAlive() && killReason == null) {
      killReason = reason;
    }
    process.destroyForcibly();
  }

  /** Killed by the startup watchdog: it did not connect in time, which counts as failing to start. */
  void killForStartup(String reason) {
    killedForStartup = true;
    kill(reason);
  }

  /**
   * It ended before connecting on its own account: it exited (a bad JVM option, a missing class),
   * crashed, or did not connect within the startup timeout. One killed from outside, or asked to
   * stop, did not fail to start.
   */
  public boolean failedToStart() {
    if (connected() || retiring || process.isAlive()) {
      return false;
    }
    if (killedForStartup) {
      return true;
    }
    int code = process.exitValue();
    if (code <= 128 || code >= 128 + 65) {
      return true; // an exit status: the JVM gave up by itself
    }
    int signal = code - 128;
    return signal == 4 || signal == 6 || signal == 7 || signal == 8 || signal == 11; // a crash
  }

  void closeStdin() {
    try {
      stdin.close();
    } catch (IOException ignored) {
      // already closed by the child's exit
    }
  }

  /**
   * Human-readable account of how the process ended: the reason the master killed it, if it did;
   * the exit status or signal; and the last lines of its stderr, if any.
   */
  public String describeExit() {
    StringBuilder b = new StringBuilder();
    String reason = killReason;
    if (reason != null) {
      b.append(reason).append("; ");
    }
    if (process.isAlive()) {
      b.append("its stream to the master closed");
    } else {
      int code = process.exitValue();
      if (code > 128 && code < 128 + 65) {
        int signal = code - 128;
        b.append("it was killed by signal ").append(signal).append(signalName(signal));
      } else {
        b.append("it exited with status ").append(code);
      }
    }
    List<String> tail = stderrTail.get();
    if (!tail.isEmpty()) {
      b.append("; the last lines of its stderr").append(connected() ? ":" : " and stdout:");
      tail.forEach(line -> b.append("\n    ").append(line));
    }
    return b.toString();
  }

  private static String signalName(int signal) {
    return switch (signal) {
      case 6 -> " (SIGABRT)";
      case 9 -> " (SIGKILL)";
      case 11 -> " (SIGSEGV)";
      case 15 -> " (SIGTERM)";
      default -> "";
    };
  }

  /** "local" for a JVM the master started, else the host of a worker that joined. */
  public String host() {
    return process instanceof JoinedProcess j ? j.host() : "local";
  }

  /** Whether it joined of its own accord rather than being started by the master. */
  public boolean joined() {
    return process instanceof JoinedProcess;
  }

  // ---- status ----------------------------------------------------------------------------------

  /** Results arrived from it. */
  void resultsArrived(int count) {
    tasksDone.addAndGet(count);
  }

  /** Results it sent back so far. */
  public long tasksDone() {
    return tasksDone.get();
  }

  /** When it was started, in milliseconds since the epoch. */
  public long startedMillis() {
    return startedMillis;
  }

  public Duration uptime() {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  /** Whom it serves now (see {@link WorkerOwner#describe()}). */
  public String serves() {
    return owner().describe();
  }

  /** Tasks sent to it and not finished; -1 if its owner does not count them. */
  public int tasksOn() {
    return owner().tasksOn(this);
  }

  @Override
  public String toString() {
    return "worker-" + id + " (pid " + process.pid() + (joined() ? " on " + host() : "") + ")";
  }

  /** It records class data as it exits, which takes it seconds: it gets longer to exit. */
  void recordsClassData() {
    recordsClassData = true;
  }

  /** How long it may take to exit once asked to, or once it ended its stream. */
  Duration exitGrace(Duration shutdownTimeout) {
    return recordsClassData ? shutdownTimeout.plus(RECORDING_EXIT) : shutdownTimeout;
  }

  /** What a worker recording class data at its exit gets on top of the shutdown timeout. */
  static final Duration RECORDING_EXIT = Duration.ofSeconds(30);
}

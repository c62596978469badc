package dev.jobengine.master.internal.supervisor;

import dev.jobengine.proto.BecomeProcess;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.Shutdown;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
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

  private final int id;
  private final Process process;
  private final OutputStream stdin;
  private final Object sendLock = new Object();
  private final AtomicBoolean gone = new AtomicBoolean();
  private volatile StreamObserver<MasterMessage> stream; // written under this
  private volatile boolean retiring;
  private WorkerOwner owner; // guarded by this

  SupervisedWorker(int id, Process process, OutputStream stdin, WorkerOwner owner) {
    this.id = id;
    this.process = process;
    this.stdin = stdin;
    this.owner = owner;
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
  boolean adopt(WorkerOwner next) {
    boolean isConnected;
    synchronized (this) {
      if (gone.get()) {
        return false; // its end is already on its way to the previous owner
      }
      owner = next;
      isConnected = stream != null;
    }
    next.started(this);
    if (isConnected) {
      next.connected(this);
    }
    return true;
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
        log.debug("could not send to {}", this, e);
      }
    }
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
    process.toHandle().destroy();
  }

  /** SIGKILL now. */
  public void kill() {
    process.destroyForcibly();
  }

  void closeStdin() {
    try {
      stdin.close();
    } catch (IOException ignored) {
      // already closed by the child's exit
    }
  }

  /** Human-readable account of how the process ended. */
  public String describeExit() {
    if (process.isAlive()) {
      return "its stream to the master closed";
    }
    int code = process.exitValue();
    if (code > 128 && code < 128 + 65) {
      int signal = code - 128;
      return "it was killed by signal " + signal + (signal == 9 ? " (SIGKILL)" : signal == 15 ? " (SIGTERM)" : "");
    }
    return "it exited with status " + code;
  }

  @Override
  public String toString() {
    return "worker-" + id + " (pid " + process.pid() + ")";
  }
}

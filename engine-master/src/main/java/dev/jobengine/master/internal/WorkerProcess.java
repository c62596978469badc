package dev.jobengine.master.internal;

import dev.jobengine.proto.MasterMessage;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A worker JVM as the master sees it: the process, its stdin, and once connected its stream. */
final class WorkerProcess {
  private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);

  private final int id;
  private final Process process;
  private final OutputStream stdin;
  private final Object sendLock = new Object();
  private final AtomicBoolean gone = new AtomicBoolean();
  private volatile StreamObserver<MasterMessage> stream;
  private volatile boolean retiring;

  WorkerProcess(int id, Process process, OutputStream stdin) {
    this.id = id;
    this.process = process;
    this.stdin = stdin;
  }

  int id() {
    return id;
  }

  long pid() {
    return process.pid();
  }

  Process process() {
    return process;
  }

  boolean connected() {
    return stream != null;
  }

  /** Asked to stop (normal close or terminate): its exit is expected, not a loss to replace. */
  boolean retiring() {
    return retiring;
  }

  void attach(StreamObserver<MasterMessage> stream) {
    this.stream = stream;
  }

  /** True the first time only: the worker's end is handled once. */
  boolean markGone() {
    return gone.compareAndSet(false, true);
  }

  void send(MasterMessage message) {
    StreamObserver<MasterMessage> s = stream;
    if (s == null) {
      throw new IllegalStateException("worker " + id + " is not connected");
    }
    synchronized (sendLock) {
      try {
        s.onNext(message);
      } catch (RuntimeException e) {
        // the stream is already closed; the worker's exit will be handled through onExit
        log.debug("could not send to worker {}", id, e);
      }
    }
  }

  /** Finish what was sent, then exit; a worker that never connected is ended at once. */
  void retire() {
    retiring = true;
    if (connected()) {
      send(WorkerMessages.SHUTDOWN);
    } else {
      process.destroyForcibly();
    }
  }

  /** SIGTERM now; stdin stays open (see {@link ProcessImpl#terminate()}). */
  void terminate() {
    retiring = true;
    process.toHandle().destroy();
  }

  void closeStdin() {
    try {
      stdin.close();
    } catch (IOException ignored) {
      // already closed by the child's exit
    }
  }

  /** Human-readable account of how the process ended. */
  String describeExit() {
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

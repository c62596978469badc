package dev.jobengine.test;

import java.time.Duration;
import java.util.Optional;

/**
 * A worker JVM stopped with SIGSTOP by {@link Faults}: it runs nothing and answers nothing until
 * {@link #resume()} sends SIGCONT. The engine may meanwhile take it for hung and kill it (a pool's
 * liveness timeout). Whatever the test leaves stopped, {@link JobEngineExtension} resumes after the
 * test, before it closes the engine. {@link #close()} resumes too, for try-with-resources.
 */
public final class StoppedWorker implements AutoCloseable {
  private static final Duration STATE_BOUND = Duration.ofSeconds(10);

  private final long pid;
  private boolean stopped; // guarded by this

  /** The process as stopped: a pid reused by another process after the worker ended is not it. */
  private final Optional<ProcessHandle> handle;

  private StoppedWorker(long pid) {
    this.pid = pid;
    this.handle = ProcessHandle.of(pid);
  }

  /** Sends SIGSTOP and returns once {@code /proc} shows the process stopped. */
  static StoppedWorker stop(long pid) {
    StoppedWorker worker = new StoppedWorker(pid);
    if (!Signals.send(pid, "STOP")) {
      throw new IllegalStateException("worker " + pid + " is gone; it cannot be stopped");
    }
    synchronized (worker) {
      worker.stopped = true;
    }
    if (!BoundedWait.until(STATE_BOUND, () -> "TtXZ".indexOf(Signals.state(pid)) >= 0)) {
      worker.resume();
      throw new AssertionError("worker " + pid + " was sent SIGSTOP but was not stopped within " + STATE_BOUND
          + " (state " + Signals.state(pid) + ")");
    }
    return worker;
  }

  /**
   * The worker's pid.
   *
   * @return the pid
   */
  public long pid() {
    return pid;
  }

  /**
   * Whether the worker is still stopped by this handle.
   *
   * @return true until {@link #resume()}: the worker was stopped and has not been resumed by this
   *     handle
   */
  public synchronized boolean isStopped() {
    return stopped;
  }

  /**
   * Sends SIGCONT, so the worker runs on where it stopped. Does nothing if this handle resumed it
   * already or the worker has ended meanwhile.
   *
   * @throws IllegalStateException if the {@code kill} command cannot be run or fails
   */
  public synchronized void resume() {
    if (stopped) {
      if (handle.map(ProcessHandle::isAlive).orElse(false)) { // the handle checks the start time too
        Signals.send(pid, "CONT");
      }
      stopped = false;
    }
  }

  /** {@link #resume()}. */
  @Override
  public void close() {
    resume();
  }

  @Override
  public String toString() {
    return "StoppedWorker[pid " + pid + (isStopped() ? ", stopped]" : ", resumed]");
  }
}

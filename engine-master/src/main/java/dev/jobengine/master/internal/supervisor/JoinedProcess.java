package dev.jobengine.master.internal.supervisor;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A worker that joined of its own accord ({@code jobengine worker --connect}), maybe on another
 * machine, seen as a process so that the supervisor treats it as any other worker: it is alive
 * while its stream is, ending the stream ends it (such a worker exits when its stream breaks),
 * and its "exit status" says how the stream ended: 0 if the worker ended it, 3 if it broke, 137
 * if the master cut it.
 */
final class JoinedProcess extends Process {
  static final int BROKE = 3;
  static final int CUT = 128 + 9;

  private final long pid;
  private final String host;
  private final CompletableFuture<Process> exit = new CompletableFuture<>();
  private volatile Runnable cut = () -> {};
  private volatile int status = -1;

  JoinedProcess(long pid, String host) {
    this.pid = pid;
    this.host = host;
  }

  /** What ends the worker's stream. */
  void onDestroy(Runnable cutStream) {
    this.cut = cutStream;
  }

  String host() {
    return host;
  }

  /** The stream ended with {@code exitStatus}; the first end counts. */
  void ended(int exitStatus) {
    synchronized (this) {
      if (status >= 0) {
        return;
      }
      status = exitStatus;
      notifyAll();
    }
    exit.complete(this);
  }

  @Override
  public OutputStream getOutputStream() {
    return OutputStream.nullOutputStream();
  }

  @Override
  public InputStream getInputStream() {
    return InputStream.nullInputStream();
  }

  @Override
  public InputStream getErrorStream() {
    return InputStream.nullInputStream();
  }

  @Override
  public synchronized int waitFor() throws InterruptedException {
    while (status < 0) {
      wait();
    }
    return status;
  }

  @Override
  public synchronized boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    for (long left = unit.toNanos(timeout); status < 0 && left > 0; left = deadline - System.nanoTime()) {
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return status >= 0;
  }

  @Override
  public int exitValue() {
    int s = status;
    if (s < 0) {
      throw new IllegalThreadStateException("the joined worker " + pid + " on " + host + " is connected");
    }
    return s;
  }

  @Override
  public void destroy() {
    cut.run();
    ended(CUT);
  }

  @Override
  public Process destroyForcibly() {
    destroy();
    return this;
  }

  @Override
  public boolean isAlive() {
    return status < 0;
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public CompletableFuture<Process> onExit() {
    return exit;
  }

  @Override
  public String toString() {
    return "joined worker " + pid + "@" + host;
  }
}

package dev.jobengine.master.internal.supervisor;

/**
 * An owner's policy for workers that end before they connect (a bad JVM option, a class missing
 * from the class path): after {@link #MAX} such ends in a row, the owner stops starting more. A
 * worker that connects resets the count; one asked to stop, or killed from outside, does not
 * count. Thread-safe.
 */
public final class StartFailures {
  /** Start-up failures in a row after which an owner gives up. */
  public static final int MAX = 3;

  private int inARow; // guarded by this

  /** A worker connected. */
  public synchronized void connected() {
    inARow = 0;
  }

  /**
   * {@code worker} ended; returns whether the owner should give up now. Only a worker that failed
   * to start on its own account counts ({@link SupervisedWorker#failedToStart()}): one killed from
   * outside before it connected says nothing about the next.
   */
  public synchronized boolean ended(SupervisedWorker worker) {
    if (!worker.failedToStart()) {
      return false;
    }
    inARow++;
    return inARow >= MAX;
  }
}

package dev.jobengine;

import java.time.Duration;

/**
 * A semaphore hosted by the master (Python's {@code Semaphore}/{@code BoundedSemaphore}). Waiters
 * are served in FIFO order. Any process may release (as in Python); a bounded semaphore refuses a
 * release above its initial count with {@link IllegalStateException}.
 *
 * <p>Owner death: the permits a process holds (acquired and not released by it) are given back
 * at once when it dies. A timed-out or interrupted acquire leaves no waiter behind, and a permit
 * granted at that moment is returned. When the engine closes, calls fail ({@link
 * IllegalStateException} in the master, {@link JobEngineException} in a worker).
 */
public interface SharedSemaphore {
  /**
   * Takes one permit, waiting without a bound until one is free and the earlier waiters are
   * served.
   *
   * @throws InterruptedException if the calling thread is interrupted while waiting (no permit is
   *     taken)
   */
  void acquire() throws InterruptedException;

  /**
   * Takes one permit, waiting at most {@code timeout} (Python's {@code acquire(timeout=)}).
   *
   * @param timeout how long to wait at most; zero or negative to wait not at all
   * @return true if a permit was taken, false if the timeout passed first
   * @throws InterruptedException if the calling thread is interrupted while waiting (no permit is
   *     taken)
   */
  boolean tryAcquire(Duration timeout) throws InterruptedException;

  /**
   * Returns one permit and wakes the next waiter; any process may release, also one that took no
   * permit. From a worker, releasing a plain semaphore may return before the master has performed
   * it (in order with the process's later calls).
   *
   * @throws IllegalStateException if the semaphore is bounded and the permits would exceed its
   *     initial count
   */
  void release();

  /**
   * The permits free now; a snapshot.
   *
   * @return the number of free permits
   */
  int availablePermits();
}

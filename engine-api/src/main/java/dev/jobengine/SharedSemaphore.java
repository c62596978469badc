package dev.jobengine;

import java.time.Duration;

/**
 * A semaphore hosted by the master (Python's {@code Semaphore}/{@code BoundedSemaphore}). Waiters
 * are served in FIFO order. Any process may release (as in Python); a bounded semaphore refuses a
 * release above its initial count with {@link IllegalStateException}.
 *
 * <p>Owner death: the permits a process holds (acquired and not released by it) are given back
 * at once when it dies. A timed-out or interrupted acquire leaves no waiter behind, and a permit
 * granted at that moment is returned. When the engine closes, calls fail.
 */
public interface SharedSemaphore {
  void acquire() throws InterruptedException;

  boolean tryAcquire(Duration timeout) throws InterruptedException;

  void release();

  int availablePermits();
}

package dev.jobengine;

import java.time.Duration;
import java.util.concurrent.locks.Lock;

/**
 * A lock hosted by the master (Python's {@code Lock}, or {@code RLock} from {@link Engine#rlock}),
 * as a {@link Lock}. It is held by a process: all threads of the holding process share the hold.
 *
 * <p>Owner death: when the holding process dies, by any cause including SIGKILL, the master frees
 * the lock at once and grants it to the next waiter. Releasing a lock the process does not hold
 * is an {@link IllegalMonitorStateException}. A timed-out or interrupted acquire leaves no waiter
 * behind, and a grant that races with it is released again. {@link #newCondition()} is not
 * supported yet ({@link UnsupportedOperationException}). {@link #lock()} is not interruptible: an
 * interrupt while it waits is kept as the thread's flag. Waiters are served in FIFO order. When
 * the engine closes, calls fail ({@link IllegalStateException} in the master, {@link
 * JobEngineException} in a worker).
 */
public interface SharedLock extends Lock {
  /**
   * Acquires the lock, waiting at most {@code timeout} (Python's {@code acquire(timeout=)}). A
   * re-entrant lock held by this process is acquired again at once; a plain one waits like any
   * other caller.
   *
   * @param timeout how long to wait at most; zero or negative to wait not at all
   * @return true if this process now holds the lock, false if the timeout passed first
   * @throws InterruptedException if the calling thread is interrupted while waiting (the lock is
   *     not taken)
   */
  boolean acquire(Duration timeout) throws InterruptedException;

  /**
   * Releases one hold of this process (as {@link #unlock()} does); when none remains the lock goes
   * to the next waiter. Any thread of the holding process may release.
   *
   * @throws IllegalMonitorStateException if this process does not hold the lock
   */
  void release();

  /**
   * Whether some process holds the lock now.
   *
   * @return true if the lock is held, by this process or another
   */
  boolean isLocked();
}

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
 * supported yet. When the engine closes, calls fail.
 */
public interface SharedLock extends Lock {
  boolean acquire(Duration timeout) throws InterruptedException;

  void release();

  boolean isLocked();
}

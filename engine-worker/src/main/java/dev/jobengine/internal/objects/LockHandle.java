package dev.jobengine.internal.objects;

import dev.jobengine.SharedLock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;

/**
 * A lock on the master, held by a process (the master itself, a worker, or an EngineProcess): all
 * threads of one process share its hold. When the holding process dies, by any cause, the master
 * releases the lock at once. Releasing a lock the process does not hold throws {@link
 * IllegalMonitorStateException}. {@link #newCondition()} is not supported yet.
 *
 * <p>In a worker, the handles of one lock count the holds their process took; while it has one, a
 * release cannot fail and does not wait for the master's answer (it is performed in order with
 * the process's later calls, as a queue's put is), which saves one round trip of the usual
 * lock-work-unlock.
 */
public final class LockHandle extends CoreHandle implements SharedLock {
  private static final long serialVersionUID = 1L;

  public LockHandle(String engineKey, boolean reentrant, String name, ObjectAccess access) {
    super(new HandleCore(engineKey, reentrant ? ObjectKind.RLOCK : ObjectKind.LOCK, name, 0, access));
  }

  @Override
  public void lock() {
    boolean interrupted = false;
    while (true) {
      try {
        core.call("acquire", HandleCore.FOREVER, 0);
        break;
      } catch (InterruptedException e) {
        interrupted = true; // Lock.lock() is not interruptible: retry, keep the flag
      }
    }
    held(true);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    core.call("acquire", HandleCore.FOREVER, 0);
    held(true);
  }

  @Override
  public boolean tryLock() {
    return held(core.callNow("try_acquire", 0).getPresent());
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    return held(!core.call("acquire", Math.max(0, unit.toNanos(time)), 0).getTimedOut());
  }

  @Override
  public boolean acquire(Duration timeout) throws InterruptedException {
    return held(!core.call("acquire", HandleCore.nanos(timeout), 0).getTimedOut());
  }

  /** Counts a hold this process took, if {@code acquired}; returns {@code acquired}. */
  private boolean held(boolean acquired) {
    AtomicInteger holds = core.lockHolds();
    if (acquired && holds != null) {
      holds.incrementAndGet();
    }
    return acquired;
  }

  @Override
  public void unlock() {
    release();
  }

  @Override
  public void release() {
    AtomicInteger holds = core.lockHolds();
    if (holds != null && holds.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0) {
      core.sendNow("release", 0); // held: cannot fail
    } else {
      core.callNow("release", 0); // the master decides, and throws if it is not held
    }
  }

  @Override
  public boolean isLocked() {
    return core.callNow("locked", 0).getPresent();
  }

  /** Not supported yet: a condition of a cross-process lock needs its own master-side waiters. */
  @Override
  public Condition newCondition() {
    throw new UnsupportedOperationException("SharedLock.newCondition() is not supported yet");
  }
}

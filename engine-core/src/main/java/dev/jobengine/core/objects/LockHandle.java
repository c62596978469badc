package dev.jobengine.core.objects;

import dev.jobengine.SharedLock;
import dev.jobengine.proto.Invocation.Op;
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

  LockHandle(HandleCore core) {
    super(core);
  }

  @Override
  public void lock() {
    boolean interrupted = false;
    while (true) {
      try {
        core.call(Op.ACQUIRE, HandleCore.FOREVER, 0);
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
    core.call(Op.ACQUIRE, HandleCore.FOREVER, 0);
    held(true);
  }

  @Override
  public boolean tryLock() {
    return held(core.callNow(Op.TRY_ACQUIRE, 0).getPresent());
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    return held(!core.call(Op.ACQUIRE, Math.max(0, unit.toNanos(time)), 0).getTimedOut());
  }

  @Override
  public boolean acquire(Duration timeout) throws InterruptedException {
    return held(!core.call(Op.ACQUIRE, HandleCore.nanos(timeout), 0).getTimedOut());
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
      core.sendNow(Op.RELEASE, 0); // held: cannot fail
    } else {
      core.callNow(Op.RELEASE, 0); // the master decides, and throws if it is not held
    }
  }

  @Override
  public boolean isLocked() {
    return core.callNow(Op.LOCKED, 0).getPresent();
  }

  /** Not supported yet: a condition of a cross-process lock needs its own master-side waiters. */
  @Override
  public Condition newCondition() {
    throw new UnsupportedOperationException("SharedLock.newCondition() is not supported yet");
  }
}

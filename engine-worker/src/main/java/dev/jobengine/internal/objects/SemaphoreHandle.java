package dev.jobengine.internal.objects;

import dev.jobengine.SharedSemaphore;
import java.time.Duration;

/**
 * A semaphore on the master. Permits are counted per process: those a process holds when it dies
 * are given back at once. Any process may release (as in Python); a bounded semaphore refuses a
 * release above its initial count with {@link IllegalStateException}.
 */
public final class SemaphoreHandle extends CoreHandle implements SharedSemaphore {
  private static final long serialVersionUID = 1L;

  public SemaphoreHandle(String engineKey, boolean bounded, String name, int permits, ObjectAccess access) {
    super(new HandleCore(
        engineKey, bounded ? ObjectKind.BOUNDED_SEMAPHORE : ObjectKind.SEMAPHORE, name, permits, access));
  }

  @Override
  public void acquire() throws InterruptedException {
    core.call("acquire", HandleCore.FOREVER, 0);
  }

  @Override
  public boolean tryAcquire(Duration timeout) throws InterruptedException {
    return !core.call("acquire", HandleCore.nanos(timeout), 0).getTimedOut();
  }

  /** Takes a permit if one is free at once. */
  public boolean tryAcquire() {
    return core.callNow("try_acquire", 0).getPresent();
  }

  @Override
  public void release() {
    if (core.kind() == ObjectKind.SEMAPHORE) {
      core.sendNow("release", 0); // cannot fail: no need to wait for the master
    } else {
      core.callNow("release", 0);
    }
  }

  @Override
  public int availablePermits() {
    return (int) core.callNow("available", 0).getNumber();
  }
}

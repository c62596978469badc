package dev.jobengine.core.objects;

import dev.jobengine.SharedSemaphore;
import dev.jobengine.proto.Invocation.Op;
import dev.jobengine.proto.ObjectRef.Kind;
import java.time.Duration;

/**
 * A semaphore on the master. Permits are counted per process: those a process holds when it dies
 * are given back at once. Any process may release (as in Python); a bounded semaphore refuses a
 * release above its initial count with {@link IllegalStateException}.
 */
public final class SemaphoreHandle extends CoreHandle implements SharedSemaphore {
  private static final long serialVersionUID = 1L;

  SemaphoreHandle(HandleCore core) {
    super(core);
  }

  @Override
  public void acquire() throws InterruptedException {
    core.call(Op.ACQUIRE, HandleCore.FOREVER, 0);
  }

  @Override
  public boolean tryAcquire(Duration timeout) throws InterruptedException {
    return !core.call(Op.ACQUIRE, HandleCore.nanos(timeout), 0).getTimedOut();
  }

  /** Takes a permit if one is free at once. */
  public boolean tryAcquire() {
    return core.callNow(Op.TRY_ACQUIRE, 0).getPresent();
  }

  @Override
  public void release() {
    if (core.kind() == Kind.SEMAPHORE) {
      core.sendNow(Op.RELEASE, 0); // cannot fail: no need to wait for the master
    } else {
      core.callNow(Op.RELEASE, 0);
    }
  }

  @Override
  public int availablePermits() {
    return (int) core.callNow(Op.AVAILABLE, 0).getNumber();
  }
}

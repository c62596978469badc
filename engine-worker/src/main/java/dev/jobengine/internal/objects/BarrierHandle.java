package dev.jobengine.internal.objects;

import dev.jobengine.SharedBarrier;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * A barrier on the master (Python's {@code Barrier}, Java's {@code CyclicBarrier}): returns the
 * arrival index ({@code parties - 1} for the first, 0 for the last). A party that times out breaks
 * the barrier for the others; a party whose process dies gives its place back without breaking it.
 */
public final class BarrierHandle implements SharedBarrier, Serializable {
  private static final long serialVersionUID = 1L;

  private final HandleCore core;

  public BarrierHandle(String engineKey, String name, int parties, ObjectAccess access) {
    this.core = new HandleCore(engineKey, ObjectKind.BARRIER, name, parties, access);
  }

  @Override
  public int await(Duration timeout) throws InterruptedException, TimeoutException, BrokenBarrierException {
    try {
      var reply = core.call("await", HandleCore.nanos(timeout), 0);
      if (reply.getTimedOut()) {
        throw new TimeoutException("barrier " + core.name() + " not passed within " + timeout + "; it is now broken");
      }
      return (int) reply.getNumber();
    } catch (HandleCore.Broken e) {
      throw e.unwrap();
    }
  }

  /** Back to the initial state (Python's {@code reset()}): parties waiting now get BrokenBarrierException. */
  public void reset() {
    core.callNow("reset", 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BarrierHandle h && h.core.equals(core);
  }

  @Override
  public int hashCode() {
    return core.hashCode();
  }

  @Override
  public String toString() {
    return core.toString();
  }
}

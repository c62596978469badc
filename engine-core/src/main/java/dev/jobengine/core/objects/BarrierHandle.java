package dev.jobengine.core.objects;

import dev.jobengine.SharedBarrier;
import dev.jobengine.core.wire.ObjectErrors;
import dev.jobengine.proto.Invocation.Op;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * A barrier on the master (Python's {@code Barrier}, Java's {@code CyclicBarrier}): returns the
 * arrival index ({@code parties - 1} for the first, 0 for the last). A party that times out breaks
 * the barrier for the others; a party whose process dies gives its place back without breaking it.
 */
public final class BarrierHandle extends CoreHandle implements SharedBarrier {
  private static final long serialVersionUID = 1L;

  BarrierHandle(HandleCore core) {
    super(core);
  }

  @Override
  public int await(Duration timeout) throws InterruptedException, TimeoutException, BrokenBarrierException {
    try {
      var reply = core.call(Op.AWAIT, HandleCore.nanos(timeout), 0);
      if (reply.getTimedOut()) {
        throw new TimeoutException("barrier " + core.name() + " not passed within " + timeout + "; it is now broken");
      }
      return (int) reply.getNumber();
    } catch (ObjectErrors.BrokenBarrier e) {
      throw e.unwrap();
    }
  }

  /** Back to the initial state (Python's {@code reset()}): parties waiting now get BrokenBarrierException. */
  public void reset() {
    core.callNow(Op.RESET, 0);
  }
}

package dev.jobengine.core.objects;

import dev.jobengine.SharedEvent;
import dev.jobengine.proto.Invocation.Op;
import java.time.Duration;

/**
 * An event flag on the master (Python's {@code Event}); {@link #await()} is Python's {@code wait()}.
 * From a worker, {@link #set()} and {@link #clear()} may return before the master has performed
 * them; the master performs them in order with the process's other calls on shared objects.
 */
public final class EventHandle extends CoreHandle implements SharedEvent {
  private static final long serialVersionUID = 1L;

  EventHandle(HandleCore core) {
    super(core);
  }

  @Override
  public void set() {
    core.sendNow(Op.SET, 0);
  }

  @Override
  public void clear() {
    core.sendNow(Op.CLEAR, 0);
  }

  @Override
  public boolean isSet() {
    return core.callNow(Op.IS_SET, 0).getPresent();
  }

  @Override
  public void await() throws InterruptedException {
    core.call(Op.AWAIT, HandleCore.FOREVER, 0);
  }

  @Override
  public boolean await(Duration timeout) throws InterruptedException {
    return !core.call(Op.AWAIT, HandleCore.nanos(timeout), 0).getTimedOut();
  }
}

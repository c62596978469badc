package dev.jobengine.internal.objects;

import dev.jobengine.SharedEvent;
import java.time.Duration;

/**
 * An event flag on the master (Python's {@code Event}); {@link #await()} is Python's {@code wait()}.
 * From a worker, {@link #set()} and {@link #clear()} may return before the master has performed
 * them; the master performs them in order with the process's other calls on shared objects.
 */
public final class EventHandle extends CoreHandle implements SharedEvent {
  private static final long serialVersionUID = 1L;

  public EventHandle(String engineKey, String name, ObjectAccess access) {
    super(new HandleCore(engineKey, ObjectKind.EVENT, name, 0, access));
  }

  @Override
  public void set() {
    core.sendNow("set", 0);
  }

  @Override
  public void clear() {
    core.sendNow("clear", 0);
  }

  @Override
  public boolean isSet() {
    return core.callNow("is_set", 0).getPresent();
  }

  @Override
  public void await() throws InterruptedException {
    core.call("await", HandleCore.FOREVER, 0);
  }

  @Override
  public boolean await(Duration timeout) throws InterruptedException {
    return !core.call("await", HandleCore.nanos(timeout), 0).getTimedOut();
  }
}

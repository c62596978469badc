package dev.jobengine.master.internal.objects;

import dev.jobengine.master.internal.objects.state.SemaphoreState;
import dev.jobengine.proto.Invocation;

/** Semaphores and bounded semaphores. */
final class SemaphoreOperations implements Operations<SemaphoreState> {
  private final Blocking blocking;

  SemaphoreOperations(Blocking blocking) {
    this.blocking = blocking;
  }

  @Override
  public ObjectCall invoke(long session, SemaphoreState s, Invocation inv) {
    return switch (inv.getOp()) {
      case ACQUIRE -> blocking.call(s.acquire(session), inv.getTimeoutNanos(), v -> Replies.OK, r -> s.release(session));
      case TRY_ACQUIRE -> ObjectCall.done(Replies.flag(s.tryAcquire(session)));
      case RELEASE -> {
        s.release(session);
        yield ObjectCall.done(Replies.OK);
      }
      case AVAILABLE -> ObjectCall.done(Replies.number(s.availablePermits()));
      default -> throw Operations.unknown(inv, "semaphore");
    };
  }
}

package dev.jobengine.master.internal.objects;

import dev.jobengine.master.internal.objects.state.LockState;
import dev.jobengine.proto.Invocation;

/** Locks and re-entrant locks. */
final class LockOperations implements Operations<LockState> {
  private final Blocking blocking;

  LockOperations(Blocking blocking) {
    this.blocking = blocking;
  }

  @Override
  public ObjectCall invoke(long session, LockState l, Invocation inv) {
    return switch (inv.getOp()) {
      case ACQUIRE -> blocking.call(l.acquire(session), inv.getTimeoutNanos(), v -> Replies.OK, r -> l.release(session));
      case TRY_ACQUIRE -> ObjectCall.done(Replies.flag(l.tryAcquire(session)));
      case RELEASE -> {
        l.release(session);
        yield ObjectCall.done(Replies.OK);
      }
      case LOCKED -> ObjectCall.done(Replies.flag(l.isLocked()));
      default -> throw Operations.unknown(inv, "lock");
    };
  }
}

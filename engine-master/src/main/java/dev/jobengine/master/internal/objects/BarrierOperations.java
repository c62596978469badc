package dev.jobengine.master.internal.objects;

import dev.jobengine.master.internal.objects.state.BarrierState;
import dev.jobengine.proto.Invocation;

/** Barriers. */
final class BarrierOperations implements Operations<BarrierState> {
  private final Blocking blocking;

  BarrierOperations(Blocking blocking) {
    this.blocking = blocking;
  }

  @Override
  public ObjectCall invoke(long session, BarrierState b, Invocation inv) {
    return switch (inv.getOp()) {
      case AWAIT -> blocking.call(b.await(session), inv.getTimeoutNanos(), index -> Replies.number(index), r -> {});
      case RESET -> {
        b.reset();
        yield ObjectCall.done(Replies.OK);
      }
      default -> throw Operations.unknown(inv, "barrier");
    };
  }
}

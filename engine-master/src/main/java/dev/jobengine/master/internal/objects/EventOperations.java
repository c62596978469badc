package dev.jobengine.master.internal.objects;

import dev.jobengine.master.internal.objects.state.EventState;
import dev.jobengine.proto.Invocation;

/** Events. */
final class EventOperations implements Operations<EventState> {
  private final Blocking blocking;

  EventOperations(Blocking blocking) {
    this.blocking = blocking;
  }

  @Override
  public ObjectCall invoke(long session, EventState ev, Invocation inv) {
    return switch (inv.getOp()) {
      case SET -> {
        ev.set();
        yield ObjectCall.done(Replies.OK);
      }
      case CLEAR -> {
        ev.clear();
        yield ObjectCall.done(Replies.OK);
      }
      case IS_SET -> ObjectCall.done(Replies.flag(ev.isSet()));
      case AWAIT -> blocking.call(ev.await(session), inv.getTimeoutNanos());
      default -> throw Operations.unknown(inv, "event");
    };
  }
}

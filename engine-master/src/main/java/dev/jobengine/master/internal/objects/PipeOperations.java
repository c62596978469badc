package dev.jobengine.master.internal.objects;

import dev.jobengine.master.internal.objects.state.PipeState;
import dev.jobengine.proto.Invocation;
import java.util.concurrent.CompletableFuture;

/** Pipes; {@code number} is the end (0 left, 1 right). Items stay encoded. */
final class PipeOperations implements Operations<PipeState> {
  private final Blocking blocking;

  PipeOperations(Blocking blocking) {
    this.blocking = blocking;
  }

  @Override
  public ObjectCall invoke(long session, PipeState p, Invocation inv) {
    int end = (int) inv.getNumber();
    long timeout = inv.getTimeoutNanos();
    return switch (inv.getOp()) {
      case SEND -> {
        p.send(session, end, inv.getValues(0));
        yield ObjectCall.done(Replies.OK);
      }
      case RECV -> blocking.call(p.receive(session, end), timeout, Replies::value, r -> p.giveBack(end, r.getValues(0)));
      case POLL_READY -> blocking.call(p.poll(session, end, new CompletableFuture<>()), timeout, Replies::flag, r -> {});
      case CLOSE -> {
        p.close(session, end);
        yield ObjectCall.done(Replies.OK);
      }
      default -> throw Operations.unknown(inv, "pipe");
    };
  }
}

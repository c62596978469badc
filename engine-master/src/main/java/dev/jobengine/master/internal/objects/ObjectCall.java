package dev.jobengine.master.internal.objects;

import dev.jobengine.proto.Reply;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One invocation being performed: its pending reply; {@code withdraw} stops waiting, and {@code
 * giveBack} returns what a reply granted (a lock, a permit, an item) when that reply cannot be
 * delivered.
 */
public record ObjectCall(CompletableFuture<Reply> reply, Runnable withdraw, Consumer<Reply> giveBack) {
  /** A call answered at once, holding nothing to give back. */
  public static ObjectCall done(Reply r) {
    return new ObjectCall(CompletableFuture.completedFuture(r), () -> {}, r2 -> {});
  }

  /**
   * The caller is gone (interrupted, cancelled, engine closed): the reply becomes {@code instead}
   * and the wait is withdrawn. A grant that got there first is given back; one that comes later
   * is given back by the grant itself, since it finds the reply taken.
   */
  public void abandon(Reply instead) {
    boolean won = reply.complete(instead);
    withdraw.run();
    if (!won) {
      giveBack.accept(reply.join());
    }
  }
}

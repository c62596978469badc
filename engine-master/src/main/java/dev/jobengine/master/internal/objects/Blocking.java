package dev.jobengine.master.internal.objects;

import dev.jobengine.proto.Reply;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Ties a state's future (a grant) to a reply: the reply completes with what the grant gave, with a
 * timeout when the timer withdraws the wait first, or with the error the grant failed with. A
 * waiting call holds no thread, only a timer entry while it has a timeout.
 */
final class Blocking {
  private final ScheduledExecutorService timer;

  Blocking(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /**
   * {@code timeoutNanos}: 0 to answer at once (a timeout if the grant is not there yet), negative
   * for no limit. {@code giveBack} returns a grant whose reply cannot be delivered.
   */
  <T> ObjectCall call(CompletableFuture<T> grant, long timeoutNanos, Function<T, Reply> onValue, Consumer<Reply> giveBack) {
    if (timeoutNanos == 0 && !grant.isDone()) {
      grant.cancel(false);
    } else if (timeoutNanos > 0 && !grant.isDone()) {
      var scheduled = timer.schedule(() -> grant.cancel(false), timeoutNanos, TimeUnit.NANOSECONDS);
      grant.whenComplete((v, e) -> scheduled.cancel(false));
    }
    Consumer<Reply> giveBackGrant = r -> {
      if (!r.getTimedOut() && !r.hasError()) {
        giveBack.accept(r);
      }
    };
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    grant.whenComplete((v, e) -> {
      Reply r;
      if (e == null) {
        r = onValue.apply(v);
      } else {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        r = cause instanceof CancellationException ? Replies.TIMED_OUT : Replies.error(cause);
      }
      if (!reply.complete(r)) {
        giveBackGrant.accept(r); // the caller went away first
      }
    });
    return new ObjectCall(reply, () -> grant.cancel(false), giveBackGrant);
  }

  /** A grant that holds nothing to give back. */
  <T> ObjectCall call(CompletableFuture<T> grant, long timeoutNanos) {
    return call(grant, timeoutNanos, v -> Replies.OK, r -> {});
  }
}

package dev.jobengine.master.internal.objects;

import java.util.Collection;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One blocked caller: its session and the future the owning state completes when the caller's
 * condition holds. Guarded by the owning state's monitor; {@link #queued} is also read without it,
 * to skip the monitor when the state itself completed the future.
 */
class Waiter<T> {
  final long session;
  final CompletableFuture<T> future;

  /** True while the waiter sits in its state's waiter queue; cleared (under the monitor) on removal. */
  volatile boolean queued = true;

  Waiter(long session, CompletableFuture<T> future) {
    this.session = session;
    this.future = future;
  }

  /**
   * Runs {@code onAbandoned} if the future completes (in practice: the caller cancels it on timeout
   * or interruption) while the waiter is still queued. Call after releasing the monitor; {@code
   * onAbandoned} must take the monitor and re-check {@link #queued}.
   */
  void onAbandoned(Consumer<Waiter<T>> onAbandoned) {
    future.whenComplete(
        (value, failure) -> {
          if (queued) {
            onAbandoned.accept(this);
          }
        });
  }

  /** Removes the session's waiters (under the monitor) and schedules their cancellation. */
  static <W extends Waiter<?>> void cancelSession(
      Collection<W> waiters, long session, Completions completions) {
    for (Iterator<W> it = waiters.iterator(); it.hasNext(); ) {
      W waiter = it.next();
      if (waiter.session == session) {
        it.remove();
        waiter.queued = false;
        completions.cancel(waiter.future);
      }
    }
  }

  /** Removes every waiter (under the monitor) and schedules its completion with nothing. */
  static void grantAll(Collection<Waiter<Void>> waiters, Completions completions) {
    for (Waiter<Void> waiter : waiters) {
      waiter.queued = false;
      completions.grant(waiter.future, null, null);
    }
    waiters.clear();
  }
}

package dev.jobengine.master.internal.objects.state;

import java.util.concurrent.CompletableFuture;

/**
 * One blocked caller: its session and the future the owning state completes when the caller's
 * condition holds. Lives in one {@link WaitQueue}, guarded by the owning state's monitor; {@link
 * #queued} is also read without it, to skip the monitor when the state itself completed the future.
 */
class Waiter<T> {
  final long session;
  final CompletableFuture<T> future;

  /** When it was queued ({@link System#nanoTime()}), if its wait is measured; guarded by the monitor. */
  long queuedAt;

  /** True while the waiter sits in its queue; cleared (under the monitor) when it leaves. */
  volatile boolean queued = true;

  Waiter(long session, CompletableFuture<T> future) {
    this.session = session;
    this.future = future;
  }
}

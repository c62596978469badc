package dev.jobengine.master.internal.objects.state;

import java.util.concurrent.CompletableFuture;

/**
 * A future whose caller "times out" exactly between the grant decision and the completion: its
 * first {@code complete(...)} cancels it first, so that complete returns false. Deterministic
 * stand-in for the cancel/grant race.
 */
final class CancelledOnGrant<T> extends CompletableFuture<T> {
  int completeCalls;

  @Override
  public boolean complete(T value) {
    completeCalls++;
    cancel(false);
    return super.complete(value);
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }
}

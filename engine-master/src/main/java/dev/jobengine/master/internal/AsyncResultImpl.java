package dev.jobengine.master.internal;

import dev.jobengine.AsyncResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The one {@link AsyncResult}: a {@link CompletableFuture} completed by the pool, with dependent
 * actions of the {@link #toCompletableFuture()} view moved to the pool's callback thread.
 */
final class AsyncResultImpl<T> implements AsyncResult<T> {
  private final CompletableFuture<T> future = new CompletableFuture<>();
  private final Executor callbackExecutor;
  private volatile BooleanSupplier canceller = () -> false;

  AsyncResultImpl(Executor callbackExecutor) {
    this.callbackExecutor = callbackExecutor;
  }

  /** How to withdraw the work behind this result; returns false once it cannot be withdrawn. */
  void onCancel(BooleanSupplier canceller) {
    this.canceller = canceller;
  }

  boolean complete(T value) {
    return future.complete(value);
  }

  boolean fail(Throwable failure) {
    return future.completeExceptionally(failure);
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (future.isDone() || !canceller.getAsBoolean()) {
      return false;
    }
    return future.cancel(mayInterruptIfRunning);
  }

  @Override
  public boolean isCancelled() {
    return future.isCancelled();
  }

  @Override
  public boolean isDone() {
    return future.isDone();
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    return future.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return future.get(timeout, unit);
  }

  @Override
  public boolean ready() {
    return future.isDone();
  }

  @Override
  public boolean successful() {
    if (!future.isDone()) {
      throw new IllegalStateException("the result is not ready");
    }
    return !future.isCompletedExceptionally();
  }

  @Override
  public boolean await(Duration timeout) throws InterruptedException {
    try {
      future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | java.util.concurrent.CancellationException e) {
      return true;
    } catch (TimeoutException e) {
      return false;
    }
    return true;
  }

  @Override
  public CompletableFuture<T> toCompletableFuture() {
    CompletableFuture<T> view = new CompletableFuture<>();
    future.whenCompleteAsync(
        (value, failure) -> {
          if (failure != null) {
            view.completeExceptionally(failure);
          } else {
            view.complete(value);
          }
        },
        callbackExecutor);
    return view;
  }

  /** Internal: the future itself, completed on whichever thread completes it. */
  CompletableFuture<T> future() {
    return future;
  }

  @Override
  public String toString() {
    return "AsyncResult[" + (future.isDone() ? (successful() ? "ok" : "failed") : "pending") + "]";
  }
}

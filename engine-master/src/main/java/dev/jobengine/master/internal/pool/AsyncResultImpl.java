package dev.jobengine.master.internal.pool;

import dev.jobengine.AsyncResult;
import dev.jobengine.Progress;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The one {@link AsyncResult}. It completes when the outcome arrives; an outcome that still has to
 * be decoded (a result's bytes, an exception's) is decoded once, by the first thread that needs
 * its value: the caller of {@link #get()}, or the pool's callback thread for the {@link
 * #toCompletableFuture()} view, never the transport thread that delivered it. Dependent actions of
 * that view run on the callback thread.
 */
final class AsyncResultImpl<T> implements AsyncResult<T> {
  private final CompletableFuture<Outcome<T>> arrived = new CompletableFuture<>();
  private final Executor callbackExecutor;
  private volatile Canceller canceller = mayInterrupt -> false;
  private volatile Supplier<Progress> progress; // null: one task's
  private volatile Supplier<OptionalLong> runningOn = () -> {
    throw new IllegalArgumentException("the result of a map runs as many tasks, on no single worker");
  };

  /** Withdraws the work behind a result: true if it will not deliver an outcome any more. */
  interface Canceller {
    boolean cancel(boolean mayInterruptIfRunning);
  }

  AsyncResultImpl(Executor callbackExecutor) {
    this.callbackExecutor = callbackExecutor;
  }

  /** A value or a failure, decoded at most once (by whoever asks first). */
  private static final class Outcome<T> {
    private Supplier<?> pending; // guarded by this; null once decoded
    private boolean failed; // guarded by this
    private Object result; // guarded by this: T or Throwable

    Outcome(Supplier<?> pending, boolean failed) {
      this.pending = pending;
      this.failed = failed;
    }

    private synchronized void decode() {
      if (pending != null) {
        try {
          result = pending.get();
        } catch (RuntimeException e) {
          result = e;
          failed = true;
        }
        pending = null;
      }
    }

    synchronized boolean succeeded() {
      decode();
      return !failed;
    }

    @SuppressWarnings("unchecked")
    synchronized T value() throws ExecutionException {
      decode();
      if (failed) {
        throw new ExecutionException((Throwable) result);
      }
      return (T) result;
    }
  }

  /** How to withdraw the work behind this result; returns false once it cannot be withdrawn. */
  void onCancel(Canceller canceller) {
    this.canceller = canceller;
  }

  /** How to tell the progress of the work behind it (a map's); a single task's by default. */
  void onProgressQuery(Supplier<Progress> progress) {
    this.progress = progress;
  }

  @Override
  public Progress progress() {
    Supplier<Progress> p = progress;
    return p != null ? p.get() : AsyncResult.super.progress();
  }

  /** How to find the pid of the worker running the task, for fault injection in tests. */
  void onRunningQuery(Supplier<OptionalLong> runningOn) {
    this.runningOn = runningOn;
  }

  /** The pid of the worker running the task now, if one is. */
  OptionalLong runningOn() {
    return runningOn.get();
  }

  boolean complete(T value) {
    return arrived.complete(new Outcome<>(() -> value, false));
  }

  /** Completes with what {@code decode} returns (or throws), run later by whoever needs the value. */
  boolean completeLazily(Supplier<? extends T> decode) {
    return arrived.complete(new Outcome<>(decode, false));
  }

  boolean fail(Throwable failure) {
    return failLazily(() -> failure);
  }

  /** Fails with what {@code failure} returns, run later by whoever needs it. */
  boolean failLazily(Supplier<? extends Throwable> failure) {
    return arrived.complete(new Outcome<>(failure, true));
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (arrived.isDone() || !canceller.cancel(mayInterruptIfRunning)) {
      return false;
    }
    return arrived.cancel(mayInterruptIfRunning);
  }

  @Override
  public boolean isCancelled() {
    return arrived.isCancelled();
  }

  @Override
  public boolean isDone() {
    return arrived.isDone();
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    checkMayWait("get()");
    return arrived.get().value();
  }

  @Override
  public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
    checkMayWait("get(timeout)");
    return arrived.get(timeout, unit).value();
  }

  /** A result not ready yet may not be waited for on its pool's callback thread. */
  private void checkMayWait(String what) {
    if (!arrived.isDone() && callbackExecutor instanceof CallbackExecutor callbacks) {
      callbacks.checkNotWaitingOnItself(what);
    }
  }

  @Override
  public boolean ready() {
    return arrived.isDone();
  }

  @Override
  public boolean successful() {
    if (!arrived.isDone()) {
      throw new IllegalStateException("the result is not ready");
    }
    return !arrived.isCancelled() && arrived.join().succeeded();
  }

  @Override
  public boolean await(Duration timeout) throws InterruptedException {
    checkMayWait("await(timeout)");
    try {
      arrived.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | CancellationException e) {
      return true;
    } catch (TimeoutException e) {
      return false;
    }
    return true;
  }

  @Override
  public CompletableFuture<T> toCompletableFuture() {
    CompletableFuture<T> view = new CompletableFuture<>();
    arrived.whenCompleteAsync(
        (outcome, cancelled) -> {
          if (cancelled != null) {
            view.completeExceptionally(cancelled);
            return;
          }
          try {
            view.complete(outcome.value());
          } catch (ExecutionException e) {
            view.completeExceptionally(e.getCause());
          }
        },
        callbackExecutor);
    return view;
  }

  @Override
  public String toString() {
    return "AsyncResult[" + (arrived.isCancelled() ? "cancelled" : arrived.isDone() ? "ready" : "pending") + "]";
  }
}

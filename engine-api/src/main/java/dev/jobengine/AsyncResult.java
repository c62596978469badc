package dev.jobengine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The pending result of a task (Python's {@code AsyncResult}).
 *
 * <p>{@link #get()} throws an {@link java.util.concurrent.ExecutionException} whose cause is the
 * task's failure: {@link RemoteTaskException}, {@link WorkerLostException}, {@link
 * TaskTimeoutException}, {@link PoolTerminatedException} or {@link TaskSerializationException}.
 *
 * <p>{@link #cancel(boolean) cancel(false)} withdraws a task that has not started: one still queued
 * in the master, or one a worker holds but has not started (taken back from it; should the worker
 * start it in that instant, it runs and its result is dropped). {@code cancel(true)} also stops a
 * running task, by killing its worker (a replacement starts), and returns true. A cancelled task
 * delivers no outcome and calls no callback. Cancelling a map result withdraws its chunks that have
 * not started.
 *
 * <p>When the task was submitted with a callback, the result becomes ready after the callback ran,
 * as in Python.
 *
 * <p>Waiting for a result that is not ready ({@link #get()}, {@link #get(long,
 * java.util.concurrent.TimeUnit)}, {@link #await(Duration)}, and so {@link Pool#apply} and {@link
 * Pool#map}) on the pool's own callback thread, in a callback or a dependent stage of {@link
 * #toCompletableFuture()}, throws {@link IllegalStateException}: results complete on that thread,
 * after their callbacks, so the wait would never end (in Python it hangs). Chain the work with
 * {@code toCompletableFuture().thenAccept(...)} instead, or wait on another thread.
 *
 * @param <T> the task's result type
 */
public interface AsyncResult<T> extends Future<T> {
  /**
   * Whether the task has completed, in any way: with a result, a failure, or cancelled. Never
   * blocks.
   *
   * @return true once the result is ready
   */
  boolean ready();

  /**
   * Whether the task completed without failure. Never blocks.
   *
   * @return true if it has a result; false if it failed or was cancelled
   * @throws IllegalStateException if the result is not ready
   */
  boolean successful();

  /**
   * Waits at most {@code timeout} for the result to be ready (with a value, a failure, or
   * cancelled); consumes nothing and throws no failure of the task's.
   *
   * @param timeout how long to wait at most; zero or negative to just look
   * @return true when the result is ready, false if the timeout passed first
   * @throws InterruptedException if the calling thread is interrupted while waiting
   * @throws IllegalStateException if called on the pool's callback thread for a result not ready
   */
  boolean await(Duration timeout) throws InterruptedException;

  /**
   * A {@link CompletableFuture} view of this result: it completes with the task's value, or
   * exceptionally with its failure itself (not wrapped) or a {@link
   * java.util.concurrent.CancellationException}. Its dependent actions run on the pool's callback
   * thread (never on a transport thread), so they must not block for long. Completing or
   * cancelling the view does not affect the task; each call returns a new view.
   *
   * @return a view that completes when this result does
   */
  CompletableFuture<T> toCompletableFuture();

  /**
   * How far the work behind this result has got, in items. For the result of {@link
   * Pool#mapAsync}: the items of the chunks whose outcome has arrived, of all the items; it stops
   * growing once the map failed or was cancelled (its other chunks are withdrawn). For a single
   * task: one item, completed once the task has an outcome (not when cancelled).
   *
   * <p>Cheap and thread-safe: it reads counters the pool keeps anyway, waits for nothing, and may
   * be called from any thread, as often as a progress display wants; no callback is involved.
   *
   * @return a snapshot of the counts
   */
  default Progress progress() {
    return new Progress(isDone() && !isCancelled() ? 1 : 0, 1, 1);
  }
}

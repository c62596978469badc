package dev.jobengine;

import java.time.Duration;
import java.util.List;

/**
 * A pool of worker JVMs (Python's {@code multiprocessing.Pool}).
 *
 * <p>Tasks are queued in the master and handed to workers as they have room; a worker runs one
 * task at a time. Callbacks run in the master, one at a time and in completion order, on a thread
 * of the pool's own; a callback that throws is logged and does not harm the pool.
 *
 * <p>When a worker dies, the task it was running fails with {@link WorkerLostException} (or runs
 * again, see {@link PoolOptions#retries()}), tasks it had received but not started go back to the
 * front of the queue, and the pool starts a replacement. If replacements keep failing to start,
 * the pool breaks: its unfinished tasks fail with {@link WorkerLostException}.
 *
 * <p>Every submitting method encodes the task (or each chunk of items) on the calling thread, so a
 * task that cannot be encoded fails there with {@link TaskSerializationException}, before anything
 * is sent. After {@link #close()} or {@link #terminate()}, or once the pool is broken, submitting
 * throws {@link IllegalStateException}.
 *
 * <p>The waiting methods ({@link #apply}, {@link #map}, and the {@link AsyncResult} methods) throw
 * {@link IllegalStateException} when called, for a result that is not ready, on the pool's own
 * callback thread: see {@link AsyncResult}.
 */
public interface Pool extends AutoCloseable {
  /**
   * Submits {@code task}; returns at once.
   *
   * @param <R> the task's result type
   * @param task the task to run in a worker
   * @return the pending result
   * @throws NullPointerException if {@code task} is null
   * @throws TaskSerializationException if the task cannot be encoded, or is larger than {@link
   *     EngineOptions#maxPayloadBytes()}
   * @throws IllegalStateException if the pool is closed, terminated or broken
   */
  <R> AsyncResult<R> applyAsync(Task<R> task);

  /**
   * Submits {@code task}; {@code callback} gets its result on the pool's callback thread. A failure
   * goes to no callback: it is the result's ({@link AsyncResult#get()}). The result is ready once
   * the callback has run.
   *
   * @param <R> the task's result type
   * @param task the task to run in a worker
   * @param callback what to do with the result, in the master
   * @return the pending result
   * @throws NullPointerException if {@code task} or {@code callback} is null
   * @throws TaskSerializationException if the task cannot be encoded, or is too large
   * @throws IllegalStateException if the pool is closed, terminated or broken
   */
  <R> AsyncResult<R> applyAsync(Task<R> task, Callback<? super R> callback);

  /**
   * Submits {@code task}; {@code callback} gets its result, {@code errorCallback} its failure (a
   * {@link RemoteTaskException}, {@link WorkerLostException}, {@link TaskTimeoutException}, {@link
   * PoolTerminatedException} or {@link TaskSerializationException}), both on the pool's callback
   * thread. Either may be null for none. The result is ready once the callback has run.
   *
   * @param <R> the task's result type
   * @param task the task to run in a worker
   * @param callback what to do with the result, in the master; null for nothing
   * @param errorCallback what to do with the failure, in the master; null for nothing
   * @return the pending result
   * @throws NullPointerException if {@code task} is null
   * @throws TaskSerializationException if the task cannot be encoded, or is too large
   * @throws IllegalStateException if the pool is closed, terminated or broken
   */
  <R> AsyncResult<R> applyAsync(
      Task<R> task, Callback<? super R> callback, Callback<? super Throwable> errorCallback);

  /**
   * Runs {@code task} and waits, without a bound, for its result. Failures other than a remote
   * exception are thrown as they are: {@link WorkerLostException}, {@link TaskTimeoutException},
   * {@link PoolTerminatedException}, {@link TaskSerializationException}.
   *
   * @param <R> the task's result type
   * @param task the task to run in a worker
   * @return the task's result
   * @throws RemoteTaskException if the task threw
   * @throws InterruptedException if the calling thread is interrupted while waiting (the task
   *     still runs)
   * @throws JobEngineException (a subclass named above) if the task failed in another way
   * @throws IllegalStateException if the pool is closed, terminated or broken, or if called on the
   *     pool's callback thread
   */
  <R> R apply(Task<R> task) throws RemoteTaskException, InterruptedException;

  /**
   * Applies {@code fn} to every item, in chunks of {@code ceil(n / (4 * size()))} items (one task
   * each), and waits, without a bound, for the results, returned in item order. {@code items} is
   * read at once, in full. The first chunk that fails fails the whole map and withdraws the chunks
   * that have not started.
   *
   * @param <T> the type of the items
   * @param <R> the type of the results
   * @param fn the function to apply, in the workers
   * @param items the items; read on the calling thread
   * @return the results, one per item, in item order
   * @throws JobEngineException the first failure, as it is: a {@link RemoteTaskException} if
   *     {@code fn} threw, a {@link WorkerLostException}, ...; a plain {@code JobEngineException} if
   *     the calling thread is interrupted while waiting (its interrupt flag is set again)
   * @throws TaskSerializationException if {@code fn} or a chunk of items cannot be encoded (thrown
   *     before anything is sent)
   * @throws IllegalStateException if the pool is closed, terminated or broken, or if called on the
   *     pool's callback thread
   */
  <T, R> List<R> map(Fn<? super T, ? extends R> fn, Iterable<? extends T> items);

  /**
   * {@link #map(Fn, Iterable)} with chunks of {@code chunksize} items.
   *
   * @param <T> the type of the items
   * @param <R> the type of the results
   * @param fn the function to apply, in the workers
   * @param items the items; read on the calling thread
   * @param chunksize items per task, at least 1
   * @return the results, one per item, in item order
   * @throws IllegalArgumentException if {@code chunksize} is less than 1
   * @throws JobEngineException as {@link #map(Fn, Iterable)} does
   * @throws IllegalStateException as {@link #map(Fn, Iterable)} does
   */
  <T, R> List<R> map(Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize);

  /**
   * {@link #map(Fn, Iterable)} without waiting: submits every chunk and returns. The result fails
   * with the first chunk's failure; {@link AsyncResult#cancel(boolean) cancelling} it withdraws the
   * chunks that have not started.
   *
   * @param <T> the type of the items
   * @param <R> the type of the results
   * @param fn the function to apply, in the workers
   * @param items the items; read on the calling thread, in full
   * @return the pending list of results, in item order
   * @throws TaskSerializationException if {@code fn} or a chunk of items cannot be encoded
   * @throws IllegalStateException if the pool is closed, terminated or broken
   */
  <T, R> AsyncResult<List<R>> mapAsync(Fn<? super T, ? extends R> fn, Iterable<? extends T> items);

  /**
   * {@link #mapAsync(Fn, Iterable)} with chunks of {@code chunksize} items.
   *
   * @param <T> the type of the items
   * @param <R> the type of the results
   * @param fn the function to apply, in the workers
   * @param items the items; read on the calling thread, in full
   * @param chunksize items per task, at least 1
   * @return the pending list of results, in item order
   * @throws IllegalArgumentException if {@code chunksize} is less than 1
   * @throws TaskSerializationException if {@code fn} or a chunk of items cannot be encoded
   * @throws IllegalStateException if the pool is closed, terminated or broken
   */
  <T, R> AsyncResult<List<R>> mapAsync(
      Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize);

  /**
   * Results in item order, lazily, one item per task: items are read from {@code items} and
   * submitted only a bounded window ahead of the consumer (4 tasks per worker, at least 4), on the
   * thread that creates or advances the iterator. This call already submits the first window.
   *
   * @param <T> the type of the items
   * @param <R> the type of the results
   * @param fn the function to apply, in the workers
   * @param items the items; read as the iteration goes
   * @return the results, in item order; for one consuming thread
   * @throws TaskSerializationException if {@code fn} or an item cannot be encoded (also from the
   *     iterator's {@code next}, as later items are submitted)
   * @throws IllegalStateException if the pool is closed, terminated or broken (also from {@code
   *     next}, when it submits more)
   */
  <T, R> ResultIterator<R> imap(Fn<? super T, ? extends R> fn, Iterable<? extends T> items);

  /**
   * {@link #imap(Fn, Iterable)} with chunks of {@code chunksize} items per task.
   *
   * @param <T> the type of the items
   * @param <R> the type of the results
   * @param fn the function to apply, in the workers
   * @param items the items; read as the iteration goes
   * @param chunksize items per task, at least 1
   * @return the results, in item order; for one consuming thread
   * @throws IllegalArgumentException if {@code chunksize} is less than 1
   * @throws TaskSerializationException as {@link #imap(Fn, Iterable)} does
   * @throws IllegalStateException as {@link #imap(Fn, Iterable)} does
   */
  <T, R> ResultIterator<R> imap(
      Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize);

  /**
   * Results as their tasks complete, lazily as in {@link #imap(Fn, Iterable)}, one item per task.
   *
   * @param <T> the type of the items
   * @param <R> the type of the results
   * @param fn the function to apply, in the workers
   * @param items the items; read as the iteration goes
   * @return the results, in completion order; for one consuming thread
   * @throws TaskSerializationException as {@link #imap(Fn, Iterable)} does
   * @throws IllegalStateException as {@link #imap(Fn, Iterable)} does
   */
  <T, R> ResultIterator<R> imapUnordered(Fn<? super T, ? extends R> fn, Iterable<? extends T> items);

  /**
   * {@link #imapUnordered(Fn, Iterable)} with chunks of {@code chunksize} items per task (the
   * items of one chunk come in their order).
   *
   * @param <T> the type of the items
   * @param <R> the type of the results
   * @param fn the function to apply, in the workers
   * @param items the items; read as the iteration goes
   * @param chunksize items per task, at least 1
   * @return the results, in completion order of the chunks; for one consuming thread
   * @throws IllegalArgumentException if {@code chunksize} is less than 1
   * @throws TaskSerializationException as {@link #imap(Fn, Iterable)} does
   * @throws IllegalStateException as {@link #imap(Fn, Iterable)} does
   */
  <T, R> ResultIterator<R> imapUnordered(
      Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize);

  /**
   * The number of worker processes the pool keeps: {@link PoolOptions#workers()}.
   *
   * @return the pool's size
   */
  int size();

  /**
   * Process ids of the pool's workers connected now (replacements included; workers still
   * starting are not listed).
   *
   * @return the pids, a snapshot
   */
  List<Long> workerPids();

  /**
   * No new tasks; queued tasks still run, then the workers exit. Returns at once: {@link #join()}
   * waits. So a pool closed by try-with-resources does not wait for its tasks, and an {@link
   * Engine#close()} that follows terminates those still unfinished. Closing again, or after
   * {@link #terminate()}, does nothing.
   */
  @Override
  void close();

  /**
   * After {@link #close()} or {@link #terminate()}: waits, without a bound, until every worker has
   * exited and every callback has run.
   *
   * @throws InterruptedException if the calling thread is interrupted while waiting
   * @throws IllegalStateException if the pool is still running (neither closed nor terminated), or
   *     if called on the pool's callback thread
   */
  void join() throws InterruptedException;

  /**
   * Like {@link #join()} but waits at most {@code timeout}.
   *
   * @param timeout how long to wait at most
   * @return true when every worker has exited and every callback has run, false if the timeout
   *     passed first
   * @throws InterruptedException if the calling thread is interrupted while waiting
   * @throws IllegalStateException if the pool is still running (neither closed nor terminated), or
   *     if called on the pool's callback thread
   */
  boolean join(Duration timeout) throws InterruptedException;

  /**
   * Stops the workers now (SIGTERM, then SIGKILL if one has not exited after {@link
   * EngineOptions#shutdownTimeout()}) and returns without waiting for them ({@link #join()} waits). Unfinished tasks, queued or running, fail with {@link
   * PoolTerminatedException}. Terminating again does nothing.
   */
  void terminate();
}

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
 * <p>When a worker dies, the task it was running fails with {@link WorkerLostException}, tasks it
 * had received but not started go back to the front of the queue, and the pool starts a
 * replacement. After {@link #close()} or {@link #terminate()} submitting throws {@link
 * IllegalStateException}.
 */
public interface Pool extends AutoCloseable {
  /** Submits {@code task}. Throws {@link TaskSerializationException} if it cannot be encoded. */
  <R> AsyncResult<R> applyAsync(Task<R> task);

  /** Submits {@code task}; {@code callback} gets its result in the master. */
  <R> AsyncResult<R> applyAsync(Task<R> task, Callback<? super R> callback);

  /**
   * Submits {@code task}; {@code callback} gets its result, {@code errorCallback} its failure (a
   * {@link RemoteTaskException}, {@link WorkerLostException}, ...), both in the master.
   */
  <R> AsyncResult<R> applyAsync(
      Task<R> task, Callback<? super R> callback, Callback<? super Throwable> errorCallback);

  /**
   * Runs {@code task} and waits for its result. Failures other than a remote exception are thrown
   * as they are: {@link WorkerLostException}, {@link PoolTerminatedException}, {@link
   * TaskSerializationException}.
   */
  <R> R apply(Task<R> task) throws RemoteTaskException, InterruptedException;

  /**
   * Applies {@code fn} to every item, in chunks of {@code ceil(n / (4 * size()))} items, and returns
   * the results in item order. The first failure is thrown (as a {@link JobEngineException}).
   */
  <T, R> List<R> map(Fn<? super T, ? extends R> fn, Iterable<? extends T> items);

  /** {@link #map(Fn, Iterable)} with chunks of {@code chunksize} (at least 1, else {@link IllegalArgumentException}) items. */
  <T, R> List<R> map(Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize);

  /** Asynchronous {@link #map(Fn, Iterable)}. */
  <T, R> AsyncResult<List<R>> mapAsync(Fn<? super T, ? extends R> fn, Iterable<? extends T> items);

  /** {@link #mapAsync(Fn, Iterable)} with chunks of {@code chunksize} (at least 1, else {@link IllegalArgumentException}) items. */
  <T, R> AsyncResult<List<R>> mapAsync(
      Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize);

  /**
   * Results in item order, lazily: items are read from {@code items} and submitted only a bounded
   * window ahead of the consumer.
   */
  <T, R> ResultIterator<R> imap(Fn<? super T, ? extends R> fn, Iterable<? extends T> items);

  /** {@link #imap(Fn, Iterable)} with chunks of {@code chunksize} (at least 1, else {@link IllegalArgumentException}) items per task. */
  <T, R> ResultIterator<R> imap(
      Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize);

  /** Results as they complete, lazily as in {@link #imap(Fn, Iterable)}. */
  <T, R> ResultIterator<R> imapUnordered(Fn<? super T, ? extends R> fn, Iterable<? extends T> items);

  /** {@link #imapUnordered(Fn, Iterable)} with chunks of {@code chunksize} (at least 1, else {@link IllegalArgumentException}) items per task. */
  <T, R> ResultIterator<R> imapUnordered(
      Fn<? super T, ? extends R> fn, Iterable<? extends T> items, int chunksize);

  /** The number of worker processes. */
  int size();

  /** Process ids of the current workers (replacements included). */
  List<Long> workerPids();

  /** No new tasks; queued tasks still run, then the workers exit. */
  @Override
  void close();

  /** After close or terminate: waits until every worker has exited. */
  void join() throws InterruptedException;

  /** Like {@link #join()} but waits at most {@code timeout}; true when every worker has exited. */
  boolean join(Duration timeout) throws InterruptedException;

  /** Stops the workers now; unfinished results fail with {@link PoolTerminatedException}. */
  void terminate();
}

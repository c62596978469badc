package dev.jobengine;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeoutException;

/**
 * The iterator returned by {@link Pool#imap} and {@link Pool#imapUnordered}. {@link #next()} blocks,
 * without a bound, until the next result is there, and submits more items as the window moves on.
 * A failed task throws its failure from {@code next} in place of its items' results, as the {@link
 * JobEngineException} subclass it is ({@link RemoteTaskException}, {@link WorkerLostException},
 * ...); the iteration may go on with the following tasks. An interrupted {@code next()} throws a
 * {@link JobEngineException} and sets the thread's interrupt flag again. Used by one thread.
 *
 * @param <R> the type of the results
 */
public interface ResultIterator<R> extends Iterator<R> {
  /**
   * Like {@link #next()} but waits at most {@code timeout} (Python's {@code next(timeout)}). A
   * timeout consumes nothing: the next call waits for the same result.
   *
   * @param timeout how long to wait at most
   * @return the next result
   * @throws InterruptedException if the calling thread is interrupted while waiting
   * @throws TimeoutException if no result arrived within {@code timeout}
   * @throws java.util.NoSuchElementException if there are no more results
   * @throws JobEngineException if the task of the next result failed (see above)
   */
  R next(Duration timeout) throws InterruptedException, TimeoutException;

  /**
   * How far the map has got, in items: those whose chunk's outcome has arrived in the master
   * (consumed by {@link #next()} or not), those read from the source and submitted so far, and
   * the total: the size of {@code items} when it is a {@link java.util.Collection}, else {@link
   * Progress#UNKNOWN} until the source is exhausted (then the number read).
   *
   * <p>Cheap and thread-safe: it reads counters and waits for nothing, so another thread may
   * poll it while the consumer iterates.
   *
   * @return a snapshot of the counts
   */
  default Progress progress() {
    return new Progress(0, 0, Progress.UNKNOWN);
  }
}

package dev.jobengine;

import java.time.Duration;

/**
 * A {@link SharedQueue} that counts unfinished items (Python's {@code JoinableQueue}): each item put
 * is unfinished until a {@link #taskDone()} marks it done; {@link #join()} waits until none is.
 *
 * <p>Owner death: items that a process took and did not mark done when it dies (any cause,
 * SIGKILL included) go back to the front of the queue, so nothing is lost and {@code join()} still
 * returns once they are processed. {@code taskDone()} called more often than items were taken is an
 * {@link IllegalStateException} (Python's ValueError).
 *
 * @param <E> the type of its items
 */
public interface JoinableQueue<E> extends SharedQueue<E> {
  /**
   * Marks one item taken from the queue done (Python's {@code task_done()}). Any process may mark
   * an item done; this process's own taken items are marked first.
   *
   * @throws IllegalStateException if it is called more often than items were taken
   */
  void taskDone();

  /**
   * Waits, without a bound, until every item put has been marked done (Python's {@code join()});
   * returns at once if none is unfinished.
   *
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  void join() throws InterruptedException;

  /**
   * Like {@link #join()} but waits at most {@code timeout}.
   *
   * @param timeout how long to wait at most
   * @return true if no item is unfinished, false if the timeout passed first
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  boolean join(Duration timeout) throws InterruptedException;
}

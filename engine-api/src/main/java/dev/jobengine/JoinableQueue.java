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
 */
public interface JoinableQueue<E> extends SharedQueue<E> {
  void taskDone();

  void join() throws InterruptedException;

  boolean join(Duration timeout) throws InterruptedException;
}

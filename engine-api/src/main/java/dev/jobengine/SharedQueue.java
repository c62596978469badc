package dev.jobengine;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeoutException;

/**
 * A queue hosted by the master (Python's {@code Queue}), usable from the master and from every task
 * and process of the engine; a full {@link BlockingQueue}, bounded or not. Every call is one step on
 * the master; a blocking call waits there, holding no master thread. Iteration walks a snapshot.
 *
 * <p>Timeouts: {@code offer}/{@code poll} with a timeout and {@link #get(Duration)} give up after
 * it, leaving no waiter behind. An interrupted wait throws {@link InterruptedException}; an item
 * granted to it at that moment goes back to the front. When the engine closes, calls fail with
 * {@link IllegalStateException} (in the master) or {@link JobEngineException} (in a worker).
 */
public interface SharedQueue<E> extends BlockingQueue<E> {
  E get(Duration timeout) throws InterruptedException, TimeoutException;

  E getNowait();

  void putNowait(E e);

  boolean isFull();

  void close();
}

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
 *
 * <p>Items go through the engine's {@link Codec}: a null item is a {@link NullPointerException},
 * one that cannot be encoded a {@link TaskSerializationException}, both thrown by the putting call.
 * From a worker, a put into an unbounded queue may return before the master has the item (as
 * Python's {@code put} does); the master takes a process's puts in order, before its later calls,
 * and before its task's result or its exit is reported.
 *
 * @param <E> the type of its items
 */
public interface SharedQueue<E> extends BlockingQueue<E> {
  /**
   * Takes the next item, waiting at most {@code timeout} for one (Python's {@code
   * get(timeout=)}). Waiters are served in arrival order.
   *
   * @param timeout how long to wait at most; zero or negative to wait not at all
   * @return the item taken
   * @throws InterruptedException if the calling thread is interrupted while waiting
   * @throws TimeoutException if no item arrived within {@code timeout}
   */
  E get(Duration timeout) throws InterruptedException, TimeoutException;

  /**
   * Takes the next item if there is one now (Python's {@code get_nowait()}); never waits.
   *
   * @return the item taken
   * @throws java.util.NoSuchElementException if the queue is empty
   */
  E getNowait();

  /**
   * Puts {@code e} if there is room now (Python's {@code put_nowait()}); never waits for room.
   *
   * @param e the item
   * @throws IllegalStateException if the queue is full, or this handle was {@link #close() closed}
   * @throws NullPointerException if {@code e} is null
   */
  void putNowait(E e);

  /**
   * Whether the queue holds {@code maxsize} items now; always false for an unbounded queue.
   *
   * @return true if a put would have to wait
   */
  boolean isFull();

  /**
   * No more puts through this handle (Python's {@code close()}): its later {@code put}, {@code
   * offer}, {@code add} and {@link #putNowait} throw {@link IllegalStateException}. Taking still
   * works, and the queue and its other handles are unaffected. Closing again does nothing.
   */
  void close();
}

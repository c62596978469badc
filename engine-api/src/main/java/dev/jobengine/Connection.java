package dev.jobengine;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * One end of a {@link Pipe} (Python's {@code Connection}). An end belongs to the processes that
 * used it (sent, received or polled through it). {@link #close()} ends this process's use of it;
 * once every process that used an end has closed it or ended (even killed by SIGKILL), the end is
 * closed for good: the other end receives everything sent before, then {@link
 * PipeClosedException} instead of waiting forever, and sending to it fails. Closing an end this
 * process never used only keeps this process from using it (so Python's habit of closing the
 * child's end in the parent is harmless).
 *
 * <p>Values go through the engine's {@link Codec}; null is refused with {@link
 * NullPointerException}. After this process closed an end (or the end is closed for good), its
 * calls on it throw {@link IllegalStateException}; so do all calls once the engine is closed.
 *
 * @param <E> the type of what goes through it
 */
public interface Connection<E> extends AutoCloseable {
  /**
   * Sends {@code e} to the other end; never waits for a receiver. From a worker that already used
   * this end, it may return before the master has it (in order with the process's later calls); a
   * send that then finds the other end closed is dropped, and the next send fails.
   *
   * @param e the value
   * @throws PipeClosedException if the other end is closed for good
   * @throws NullPointerException if {@code e} is null
   * @throws TaskSerializationException if {@code e} cannot be encoded
   * @throws IllegalStateException if this process closed this end, or this end is closed for good
   */
  void send(E e);

  /**
   * Receives the next value the other end sent, waiting without a bound for one.
   *
   * @return the value
   * @throws PipeClosedException once the other end closed and everything it sent was read
   * @throws InterruptedException if the calling thread is interrupted while waiting
   * @throws IllegalStateException if this process closed this end, or this end is closed for good
   */
  E recv() throws InterruptedException;

  /**
   * Like {@link #recv()} but waits at most {@code timeout}.
   *
   * @param timeout how long to wait at most
   * @return the value
   * @throws PipeClosedException once the other end closed and everything it sent was read
   * @throws InterruptedException if the calling thread is interrupted while waiting
   * @throws TimeoutException if nothing arrived within {@code timeout}
   * @throws IllegalStateException if this process closed this end, or this end is closed for good
   */
  E recv(Duration timeout) throws InterruptedException, TimeoutException;

  /**
   * Whether {@link #recv()} would return at once, waiting at most {@code timeout} for that
   * (Python's {@code poll(timeout)}); consumes nothing. True also when the other end is closed for
   * good (recv then throws {@link PipeClosedException}), as Python's {@code poll} is at EOF.
   *
   * @param timeout how long to wait at most; zero or negative to just look
   * @return true if something can be received, or the other end is closed
   * @throws InterruptedException if the calling thread is interrupted while waiting
   * @throws IllegalStateException if this process closed this end, or this end is closed for good
   */
  boolean poll(Duration timeout) throws InterruptedException;

  /** Ends this process's use of this end (see above); closing again does nothing. */
  @Override
  void close();
}

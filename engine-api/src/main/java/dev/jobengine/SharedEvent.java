package dev.jobengine;

import java.time.Duration;

/**
 * An event flag hosted by the master (Python's {@code Event}); {@link #await()} is Python's
 * {@code wait()}. A timed-out or interrupted wait leaves no waiter behind; waiters of a process
 * that dies are dropped. When the engine closes, calls fail ({@link IllegalStateException} in the
 * master, {@link JobEngineException} in a worker). From a worker, {@link #set()} and {@link
 * #clear()} may return before the master has performed them; it performs them in order with the
 * process's later calls.
 */
public interface SharedEvent {
  /** Sets the flag and wakes every waiter; while it is set, {@link #await()} returns at once. */
  void set();

  /** Clears the flag: later awaits wait for the next {@link #set()}. */
  void clear();

  /**
   * Whether the flag is set now.
   *
   * @return the flag
   */
  boolean isSet();

  /**
   * Waits, without a bound, until the flag is set; returns at once if it is.
   *
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  void await() throws InterruptedException;

  /**
   * Waits at most {@code timeout} until the flag is set (Python's {@code wait(timeout)}).
   *
   * @param timeout how long to wait at most; zero or negative to just look
   * @return true if the flag is set, false if the timeout passed first
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  boolean await(Duration timeout) throws InterruptedException;
}

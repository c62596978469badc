package dev.jobengine;

import java.time.Duration;

/**
 * An event flag hosted by the master (Python's {@code Event}); {@link #await()} is Python's
 * {@code wait()}. A timed-out or interrupted wait leaves no waiter behind; waiters of a process
 * that dies are dropped. When the engine closes, calls fail.
 */
public interface SharedEvent {
  void set();

  void clear();

  boolean isSet();

  void await() throws InterruptedException;

  boolean await(Duration timeout) throws InterruptedException;
}

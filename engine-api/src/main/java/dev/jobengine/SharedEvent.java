package dev.jobengine;

import java.time.Duration;

/** An event flag hosted by the master (Python's {@code Event}). */
public interface SharedEvent {
  void set();

  void clear();

  boolean isSet();

  void await() throws InterruptedException;

  boolean await(Duration timeout) throws InterruptedException;
}

package dev.jobengine;

import java.time.Duration;

/** A {@link SharedQueue} that counts unfinished items (Python's {@code JoinableQueue}). */
public interface JoinableQueue<E> extends SharedQueue<E> {
  void taskDone();

  void join() throws InterruptedException;

  boolean join(Duration timeout) throws InterruptedException;
}

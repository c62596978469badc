package dev.jobengine;

import java.time.Duration;

/** A semaphore hosted by the master; permits of a dead process are given back. */
public interface SharedSemaphore {
  void acquire() throws InterruptedException;

  boolean tryAcquire(Duration timeout) throws InterruptedException;

  void release();

  int availablePermits();
}

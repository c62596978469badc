package dev.jobengine;

import java.time.Duration;
import java.util.concurrent.locks.Lock;

/** A lock hosted by the master; held by a process, given back when that process dies. */
public interface SharedLock extends Lock {
  boolean acquire(Duration timeout) throws InterruptedException;

  void release();

  boolean isLocked();
}

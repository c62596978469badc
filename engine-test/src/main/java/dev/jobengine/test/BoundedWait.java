package dev.jobengine.test;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition that no event announces (a process's state in {@code /proc}, the task a worker
 * runs) until it holds or a bound passes, recomputing the time left on each pass.
 */
final class BoundedWait {
  private static final long POLL_NANOS = Duration.ofMillis(10).toNanos();

  private BoundedWait() {}

  /** True once {@code condition} holds; false if {@code bound} passed first or the thread was interrupted. */
  static boolean until(Duration bound, BooleanSupplier condition) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || Thread.currentThread().isInterrupted()) {
        return false;
      }
      LockSupport.parkNanos(Math.min(left, POLL_NANOS));
    }
    return true;
  }
}

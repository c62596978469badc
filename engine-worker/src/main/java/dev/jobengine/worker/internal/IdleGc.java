package dev.jobengine.worker.internal;

import dev.jobengine.core.wire.TransportAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives memory back to the system when a worker has nothing to do: a worker whose heap grew while
 * it ran tasks, and which then waits {@code -Djobengine.worker.idleGcMillis} (1500; 0 for never)
 * for the next task, runs one full GC, after which the JVM shrinks its heap as its options allow
 * (the default options let the serial collector give back all but 30% free at once). Once per idle
 * spell, and only while the heap holds more than it started with. The transport's spare buffers
 * for large messages are freed then too.
 */
final class IdleGc {
  private static final Logger log = LoggerFactory.getLogger(IdleGc.class);
  /** How long without a task before the GC. */
  static final long IDLE_NANOS = Long.getLong("jobengine.worker.idleGcMillis", 1500) * 1_000_000;
  /** Committed heap at or below which there is nothing worth giving back. */
  private static final long SMALL_HEAP = Math.max(16 << 20, Runtime.getRuntime().totalMemory());

  private boolean ranSinceGc; // on the task thread

  /** A task ran: the next idle spell may GC. */
  void taskRan() {
    ranSinceGc = true;
  }

  /** How long to wait for a task before {@link #idle()}; 0 for no such wait. */
  long waitNanos() {
    return ranSinceGc && IDLE_NANOS > 0 ? IDLE_NANOS : 0;
  }

  /** No task came within {@link #waitNanos()}. */
  void idle() {
    ranSinceGc = false;
    TransportAllocator.INSTANCE.trim(); // large messages' spare buffers
    Runtime rt = Runtime.getRuntime();
    long before = rt.totalMemory();
    if (before <= SMALL_HEAP) {
      return;
    }
    long t0 = System.nanoTime();
    System.gc();
    log.debug("idle: GC in {} ms, heap {} -> {} KiB", (System.nanoTime() - t0) / 1_000_000, before >> 10,
        rt.totalMemory() >> 10);
  }
}

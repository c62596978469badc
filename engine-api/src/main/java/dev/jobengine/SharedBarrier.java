package dev.jobengine;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * A barrier hosted by the master (Python's {@code Barrier}, Java's {@code CyclicBarrier}). {@link
 * #await(Duration)} returns the arrival index ({@code parties - 1} for the first, 0 for the last).
 *
 * <p>When the last party arrives, every waiting party returns and the barrier starts over for the
 * next round. A party that times out or is interrupted breaks the barrier: the others get {@link
 * BrokenBarrierException}, as do later awaits. A party whose process dies gives its place back
 * without breaking the barrier. When the engine closes, calls fail.
 */
public interface SharedBarrier {
  /**
   * Arrives at the barrier and waits, at most {@code timeout}, until all parties have arrived
   * (Python's {@code wait(timeout)}).
   *
   * @param timeout how long to wait at most
   * @return the arrival index: {@code parties - 1} for the first to arrive, 0 for the last
   * @throws InterruptedException if the calling thread is interrupted while waiting (the barrier is
   *     then broken)
   * @throws TimeoutException if the barrier did not trip within {@code timeout}; it is now broken
   * @throws BrokenBarrierException if the barrier is broken, or breaks while this party waits
   */
  int await(Duration timeout) throws InterruptedException, TimeoutException, BrokenBarrierException;
}

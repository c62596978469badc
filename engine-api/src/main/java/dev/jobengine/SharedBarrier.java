package dev.jobengine;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * A barrier hosted by the master (Python's {@code Barrier}, Java's {@code CyclicBarrier}). {@link
 * #await(Duration)} returns the arrival index ({@code parties - 1} for the first, 0 for the last).
 *
 * <p>A party that times out breaks the barrier: the others get {@link BrokenBarrierException}, as
 * do later awaits. A party whose process dies gives its place back without breaking the barrier.
 */
public interface SharedBarrier {
  int await(Duration timeout) throws InterruptedException, TimeoutException, BrokenBarrierException;
}

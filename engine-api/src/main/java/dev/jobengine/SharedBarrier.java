package dev.jobengine;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/** A barrier hosted by the master (Python's {@code Barrier}). */
public interface SharedBarrier {
  int await(Duration timeout) throws InterruptedException, TimeoutException, BrokenBarrierException;
}

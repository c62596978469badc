package dev.jobengine.master.internal.pool;

import com.google.protobuf.ByteString;
import dev.jobengine.JobEngineException;
import dev.jobengine.core.wire.Failures;
import dev.jobengine.core.wire.Payloads;
import dev.jobengine.master.internal.metrics.PoolCounters;
import dev.jobengine.master.internal.metrics.PoolCounters.Settled;
import dev.jobengine.proto.Failure;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * An encoded task waiting for, or running in, a worker, and where its outcome goes. It is settled
 * once: the first of its result, its failure, a timeout or a cancel wins, and anything after is
 * dropped, so no outcome is delivered twice whatever races (a retried task, a kill).
 */
final class PendingTask implements Scheduler.Work {
  /**
   * Receives a task's outcome, once, on a transport or process-exit thread: it must neither block
   * nor decode there (decoding may run the application's code).
   */
  interface Outcome {
    void succeeded(ByteString value);

    /** {@code failure} makes the exception; it may decode, so call it off the transport thread. */
    void failed(Supplier<? extends JobEngineException> failure);

    /** The task failed in its worker, as {@code failure} describes. */
    default void failedRemotely(Failure failure, Payloads payloads) {
      failed(() -> Failures.toException(failure, payloads));
    }
  }

  private final long id;
  private final ByteString payload;
  private final Outcome outcome;
  private final AtomicBoolean settled = new AtomicBoolean();
  private final PoolCounters counters; // null: not counted (a daemon's side of a client's pool)
  private final long submittedAt;
  private volatile int retries;

  PendingTask(long id, ByteString payload, Outcome outcome) {
    this(id, payload, outcome, null);
  }

  /** A task counted in {@code counters} as it settles (its submission is counted by the pool). */
  PendingTask(long id, ByteString payload, Outcome outcome, PoolCounters counters) {
    this.id = id;
    this.payload = payload;
    this.outcome = outcome;
    this.counters = counters;
    this.submittedAt = counters == null ? 0 : counters.clock();
  }

  private void count(Settled how) {
    if (counters != null) {
      counters.settled(how, submittedAt);
    }
  }

  @Override
  public long taskId() {
    return id;
  }

  @Override
  public long bytes() {
    return payload.size();
  }

  @Override
  public boolean abandoned() {
    return settled.get();
  }

  ByteString payload() {
    return payload;
  }

  /** Delivers the result, unless the task was settled already. */
  void succeed(ByteString value) {
    if (settled.compareAndSet(false, true)) {
      count(Settled.COMPLETED);
      outcome.succeeded(value);
    }
  }

  /** Delivers the failure, unless the task was settled already; false if it was. */
  boolean fail(Supplier<? extends JobEngineException> failure) {
    return fail(failure, Settled.FAILED);
  }

  /** Delivers the failure of a task whose worker died running it, unless it was settled already. */
  boolean lose(Supplier<? extends JobEngineException> failure) {
    return fail(failure, Settled.LOST);
  }

  private boolean fail(Supplier<? extends JobEngineException> failure, Settled how) {
    if (settled.compareAndSet(false, true)) {
      count(how);
      outcome.failed(failure);
      return true;
    }
    return false;
  }

  /** Delivers a failure reported by the worker, unless the task was settled already. */
  void failRemotely(Failure failure, Payloads payloads) {
    if (settled.compareAndSet(false, true)) {
      count(Settled.FAILED);
      outcome.failedRemotely(failure, payloads);
    }
  }

  /** Settles it with no outcome (its result was cancelled); false if it was settled already. */
  boolean withdraw() {
    if (settled.compareAndSet(false, true)) {
      count(Settled.CANCELLED);
      return true;
    }
    return false;
  }

  /** How many times it ran again after its worker was lost. */
  int retries() {
    return retries;
  }

  void retried() {
    retries++;
  }
}

package dev.jobengine.master.internal.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * One pool's task counts: bumped where a task is submitted and where it settles (once), on
 * whatever thread does that; read by anyone. A task latency {@link Recorder}, submit to settled,
 * is called only once one is installed.
 */
public final class PoolCounters {
  /** How a task settled. */
  public enum Settled {
    /** Its result arrived. */
    COMPLETED,
    /** It threw, timed out, could not be (de)serialized, or its pool was terminated or broke. */
    FAILED,
    /** Its worker died while running it (and it was not run again). */
    LOST,
    /** Its result was cancelled before it had an outcome. */
    CANCELLED
  }

  private final String pool;
  private final LongAdder submitted = new LongAdder();
  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder lost = new LongAdder();
  private final LongAdder cancelled = new LongAdder();
  private volatile Recorder latency; // null: nobody measures

  public PoolCounters(String pool) {
    this.pool = pool;
  }

  /** The pool's name. */
  public String pool() {
    return pool;
  }

  /**
   * The time a task is submitted, to pass to {@link #settled} (a {@link System#nanoTime()}), or 0
   * when no latency is measured.
   */
  public long clock() {
    return latency == null ? 0 : System.nanoTime();
  }

  /** {@code tasks} more tasks were submitted (negative: a refused submission is taken back). */
  public void submitted(int tasks) {
    submitted.add(tasks);
  }

  /** A task submitted at {@code submittedAt} (from {@link #clock}) settled {@code how}. */
  public void settled(Settled how, long submittedAt) {
    switch (how) {
      case COMPLETED -> completed.increment();
      case FAILED -> failed.increment();
      case LOST -> lost.increment();
      case CANCELLED -> cancelled.increment();
    }
    Recorder r = latency;
    if (r != null && submittedAt != 0 && how != Settled.CANCELLED) {
      r.record(System.nanoTime() - submittedAt);
    }
  }

  /** Adds {@code recorder} for the latency of tasks submitted from now on. */
  public synchronized void measureLatency(Recorder recorder) {
    latency = Recorder.append(latency, recorder);
  }

  public long submitted() {
    return submitted.sum();
  }

  public long completed() {
    return completed.sum();
  }

  public long failed() {
    return failed.sum();
  }

  public long lost() {
    return lost.sum();
  }

  public long cancelled() {
    return cancelled.sum();
  }
}

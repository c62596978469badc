package dev.jobengine.master.internal.pool;

import dev.jobengine.master.internal.supervisor.WorkerSupervisor;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A pool's task timeout: one timer check at a time, armed for the moment the longest-running head
 * task would pass the limit. A check that finds that task finished re-arms for the next one, so a
 * pool running many short tasks wakes the timer about once per timeout, not once per task.
 */
final class TaskDeadlines {
  /** Called on the timer for each task found past the limit (settled by then), with the worker running it. */
  interface Expiry {
    void expired(int workerId, PendingTask task);
  }

  private final Scheduler<PendingTask> scheduler;
  private final long limitNanos;
  private final WorkerSupervisor timer;
  private final Expiry expiry;
  private final Consumer<PendingTask> timeout;
  private final AtomicBoolean armed = new AtomicBoolean();

  /** {@code timeout} settles a task found past the limit, under the scheduler's monitor. */
  TaskDeadlines(Scheduler<PendingTask> scheduler, Duration limit, WorkerSupervisor timer, Consumer<PendingTask> timeout,
      Expiry expiry) {
    this.scheduler = scheduler;
    this.timeout = timeout;
    this.limitNanos = limit.toNanos();
    this.timer = timer;
    this.expiry = expiry;
  }

  /** A task may have started: make sure a check is due when the oldest running one expires. */
  void watch() {
    while (armed.compareAndSet(false, true)) {
      long oldest = scheduler.oldestHeadSince();
      if (oldest != Long.MAX_VALUE) {
        timer.schedule(this::check, Math.max(0, oldest + limitNanos - System.nanoTime()));
        return;
      }
      armed.set(false);
      if (scheduler.oldestHeadSince() == Long.MAX_VALUE) {
        return; // nothing runs; a task that starts later calls watch() itself
      }
    }
  }

  private void check() {
    armed.set(false);
    for (Scheduler.Overdue<PendingTask> o : scheduler.overdue(limitNanos, timeout)) {
      expiry.expired(o.workerId(), o.task());
    }
    watch();
  }
}

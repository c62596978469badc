package dev.jobengine.master.internal.pool;

import dev.jobengine.PoolOptions;
import dev.jobengine.PoolTerminatedException;
import dev.jobengine.TaskTimeoutException;
import dev.jobengine.WorkerLostException;
import dev.jobengine.core.Report;
import dev.jobengine.core.wire.Payloads;
import dev.jobengine.master.internal.supervisor.StartFailures;
import dev.jobengine.master.internal.supervisor.SupervisedWorker;
import dev.jobengine.master.internal.supervisor.WorkerOwner;
import dev.jobengine.master.internal.supervisor.WorkerSupervisor;
import dev.jobengine.proto.MasterMessage;
import dev.jobengine.proto.ResultBatch;
import dev.jobengine.proto.Revoked;
import dev.jobengine.proto.Serve;
import dev.jobengine.proto.TaskResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of one pool and the tasks on their way to them: starts the workers through the
 * supervisor, feeds them from the {@link Scheduler}, delivers their results, and when one is lost
 * fails the task it was running, hands its other tasks to the rest and starts a replacement. It
 * holds the pool's life-cycle state, on which replacing a worker depends.
 *
 * <p>Called on the caller's thread (submit, close, terminate), the transport's (results) and the
 * process-exit thread (a worker gone); decisions are taken under {@code lock} or the scheduler's
 * monitor, and messages are sent after.
 */
final class PoolWorkers implements WorkerOwner, PoolBackend {
  private static final Logger log = LoggerFactory.getLogger(PoolWorkers.class);
  /** Payload bytes a worker may hold beyond its first task (prefetch is also bounded in count). */
  static final long PREFETCH_BYTES = 8 << 20;

  private final String name;
  private final PoolOptions options;
  private final WorkerSupervisor supervisor;
  private final Payloads payloads;
  private final CallbackExecutor callbacks;
  private final Scheduler<PendingTask> scheduler;
  private final Map<Integer, SupervisedWorker> workers = new ConcurrentHashMap<>();
  private final StartFailures startFailures = new StartFailures();
  private final CompletableFuture<Void> allExited = new CompletableFuture<>();
  /** Workers asked for whose JVM does not exist yet: the pool is not done while any is coming. */
  private final AtomicInteger starting = new AtomicInteger();
  private final AtomicLong retried = new AtomicLong();
  /** Kills workers whose task runs past the task timeout; null without one. */
  private final TaskDeadlines deadlines;
  private final Object lock = new Object();
  private State state = State.RUNNING; // guarded by lock
  private String brokenReason; // guarded by lock
  private boolean retired; // guarded by lock

  /** Sent to each worker before its first task. */
  private final MasterMessage serve;

  /**
   * {@code serve}: what each worker is told before the pool's first task: whose lease it serves,
   * and the code to load (the application's class path, or a daemon client's).
   */
  PoolWorkers(String name, PoolOptions options, WorkerSupervisor supervisor, Payloads payloads, CallbackExecutor callbacks,
      Serve serve) {
    this.serve = MasterMessage.newBuilder().setServe(serve).build();
    this.name = name;
    this.options = options;
    this.supervisor = supervisor;
    this.payloads = payloads;
    this.callbacks = callbacks;
    this.scheduler = new Scheduler<>(options.prefetch(), PREFETCH_BYTES, options.maxTasksPerChild(), System::nanoTime);
    this.deadlines = options.taskTimeout() == null ? null
        : new TaskDeadlines(scheduler, options.taskTimeout(), supervisor, this::failTimedOut, this::timedOut);
  }

  /**
   * Asks for the workers without waiting for their JVMs: a few start at once and the rest as those
   * connect, while tasks queue and go to whichever worker connected ({@link
   * WorkerSupervisor#startInTurn}). What fails to start breaks the pool.
   */
  void start() {
    launchAll();
  }

  /** As {@link #start()} (a daemon's event loop opens pools). */
  void launchAll() {
    for (int i = 0; i < options.workers(); i++) {
      launch();
    }
  }

  /** Asks the supervisor for a worker; {@link #started}, a failure, or no JVM at all ends the wait for it. */
  private CompletableFuture<SupervisedWorker> launch() {
    starting.incrementAndGet();
    return supervisor.startInTurn(options, this).whenComplete((w, e) -> {
      if (e != null) {
        starting.decrementAndGet();
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        breakDown("cannot start a worker JVM: " + cause.getMessage(), cause);
      } else if (w == null) {
        starting.decrementAndGet(); // by its turn the pool wanted it no more
        finishIfDone();
      }
    });
  }

  /** A worker waiting for its turn to start is still needed: the pool runs, or is closed with tasks left. */
  @Override
  public boolean wantsWorker() {
    synchronized (lock) {
      return state == State.RUNNING || (state == State.CLOSED && !retired);
    }
  }

  // ---- tasks -----------------------------------------------------------------------------------

  /** Queues tasks, or throws IllegalStateException when the pool takes no more. */
  @Override
  public void submit(List<PendingTask> tasks) {
    List<Scheduler.Assignment<PendingTask>> assignments;
    synchronized (lock) {
      if (state != State.RUNNING) {
        throw new IllegalStateException(
            name + " is " + state + (brokenReason == null ? "" : " (" + brokenReason + ")") + ": it takes no new tasks");
      }
      assignments = tasks.size() == 1 ? scheduler.submit(tasks.get(0)) : scheduler.submitAll(tasks);
    }
    dispatch(assignments);
  }

  /**
   * Withdraws a task: one still queued in the master, or held by a worker that has not started it
   * (revoked there), is dropped and delivers no outcome (a worker that started it just then runs
   * it, and its result is dropped); a running one only if {@code mayInterrupt}, by killing its
   * worker (a replacement starts). False once it has an outcome, or when it is running and may not
   * be interrupted.
   */
  @Override
  public boolean cancel(PendingTask task, boolean mayInterrupt) {
    if (scheduler.cancel(task)) {
      return task.withdraw();
    }
    Optional<Scheduler.Placement> where = scheduler.settleHeld(task, mayInterrupt, PendingTask::withdraw);
    if (where.isEmpty()) {
      return false;
    }
    Scheduler.Placement p = where.get();
    SupervisedWorker w = workers.get(p.workerId());
    if (w != null) {
      if (p.head()) {
        w.kill("its task " + task.taskId() + " was cancelled");
      } else {
        w.send(TaskMessages.revoke(List.of(new Scheduler.Assignment<>(p.workerId(), p.seq(), task))));
      }
    }
    return true;
  }

  /** The pid of the worker running {@code task} now, if one is. */
  @Override
  public OptionalLong runningOn(PendingTask task) {
    return scheduler.runningOn(task).map(workers::get).map(w -> OptionalLong.of(w.pid())).orElse(OptionalLong.empty());
  }

  /** Tasks that ran again after their worker was lost. */
  @Override
  public long retried() {
    return retried.get();
  }

  /** On the timer, under the scheduler's monitor: {@code task} ran past the task timeout. */
  private void failTimedOut(PendingTask task) {
    TaskTimeoutException timeout = new TaskTimeoutException(
        "task " + task.taskId() + " ran longer than the task timeout of " + options.taskTimeout() + "; its worker was killed");
    task.fail(() -> timeout);
  }

  /** On the timer: worker {@code workerId}'s head {@code task} ran past the task timeout. */
  private void timedOut(int workerId, PendingTask task) {
    SupervisedWorker w = workers.get(workerId);
    if (w != null) {
      w.kill("its task " + task.taskId() + " ran longer than the task timeout of " + options.taskTimeout());
    }
  }

  private void dispatch(List<Scheduler.Assignment<PendingTask>> assignments) {
    if (deadlines != null) {
      deadlines.watch();
    }
    if (!assignments.isEmpty()) {
      TaskMessages.tasks(assignments).forEach((id, message) -> {
        SupervisedWorker w = workers.get(id);
        if (w != null) {
          w.send(message);
        }
      });
    }
  }

  /** Asks a busy worker to give back unstarted tasks when another worker has nothing to do. */
  private void stealForIdleWorkers() {
    scheduler.steal().ifPresent(steal -> {
      SupervisedWorker victim = workers.get(steal.workerId());
      if (victim != null) {
        victim.send(TaskMessages.revoke(steal.tasks()));
      }
    });
  }

  // ---- what the supervisor tells -----------------------------------------------------------

  @Override
  public void started(SupervisedWorker worker) {
    workers.put(worker.id(), worker);
    starting.decrementAndGet();
  }

  @Override
  public void connected(SupervisedWorker worker) {
    startFailures.connected();
    synchronized (lock) {
      if (state == State.TERMINATED || state == State.BROKEN) {
        supervisor.terminate(worker);
        return;
      }
    }
    worker.send(serve);
    dispatch(scheduler.addWorker(worker.id()));
    stealForIdleWorkers();
    retireIfDrained();
  }

  @Override
  public void results(SupervisedWorker worker, ResultBatch batch) {
    // First refill the workers, in one message each, then deliver the outcomes.
    List<TaskResult> results = batch.getResultsList();
    List<PendingTask> finished = new ArrayList<>(results.size());
    List<Scheduler.Assignment<PendingTask>> next = new ArrayList<>();
    boolean exhausted = false;
    for (TaskResult r : results) {
      Scheduler.Completion<PendingTask> c = scheduler.complete(worker.id(), r.getTaskId());
      next.addAll(c.next());
      finished.add(c.task());
      exhausted |= c.exhausted();
    }
    dispatch(next);
    for (int i = 0; i < results.size(); i++) {
      PendingTask task = finished.get(i);
      TaskResult r = results.get(i);
      if (task != null) {
        if (r.hasFailure()) {
          task.failRemotely(r.getFailure(), payloads);
        } else {
          task.succeed(r.getValue());
        }
      }
    }
    if (exhausted) {
      recycle(worker);
    }
    stealForIdleWorkers();
    retireIfDrained();
  }

  /** The worker ran its {@code maxTasksPerChild} tasks: it exits, and a fresh JVM takes its place. */
  private void recycle(SupervisedWorker worker) {
    dispatch(scheduler.removeWorker(worker.id()).reassigned()); // it holds nothing: its budget is spent
    worker.retire();
    boolean replace;
    synchronized (lock) {
      replace = state == State.RUNNING || (state == State.CLOSED && !scheduler.idle());
    }
    log.debug("{}: {} ran {} tasks; replacing it", name, worker, options.maxTasksPerChild());
    if (replace) {
      launch();
    }
  }

  @Override
  public void revoked(SupervisedWorker worker, Revoked revoked) {
    dispatch(scheduler.revoked(worker.id(), revoked.getTaskIdsList()));
    stealForIdleWorkers();
  }

  /**
   * A worker's process ended: the task it was running fails, the tasks it had not started go to
   * the others, and unless the pool is ending or its workers keep failing to start, a replacement
   * starts.
   */
  @Override
  public void gone(SupervisedWorker worker) {
    starting.incrementAndGet(); // the pool is not done while this end, and a replacement, are on their way
    try {
      replaceOrGiveUp(worker);
    } finally {
      starting.decrementAndGet();
    }
    finishIfDone();
  }

  private void replaceOrGiveUp(SupervisedWorker worker) {
    workers.remove(worker.id());
    Scheduler.Loss<PendingTask> loss = scheduler.removeWorker(worker.id());
    dispatch(loss.reassigned());
    String how = worker.describeExit();
    PendingTask running = loss.running();
    if (running != null && !running.abandoned()) {
      List<Scheduler.Assignment<PendingTask>> again = null;
      synchronized (lock) { // terminate() and breakDown() drain after they set the state, under lock
        if ((state == State.RUNNING || state == State.CLOSED) && running.retries() < options.retries()) {
          running.retried();
          again = scheduler.retry(running);
        }
      }
      if (again != null) {
        retried.incrementAndGet();
        log.info("{}: {} was lost while running task {} ({}); running it again", name, worker, running.taskId(), how);
        dispatch(again);
      } else {
        WorkerLostException lost = new WorkerLostException(
            worker + " died while running task " + running.taskId() + ": " + how, worker.pid());
        running.lose(() -> lost);
      }
    }
    boolean replace;
    boolean giveUp = false;
    synchronized (lock) {
      boolean failedToStart = startFailures.ended(worker);
      replace = !worker.retiring() && (state == State.RUNNING || (state == State.CLOSED && !scheduler.idle()));
      if (replace && failedToStart && scheduler.workerCount() == 0) {
        replace = false;
        giveUp = true;
      }
    }
    if (replace) {
      Report.warn(log, name + ": " + worker + " ended unexpectedly (" + how + "); starting a replacement", null);
      launch();
    } else if (giveUp) {
      breakDown("worker JVMs fail to start; the last one: " + how, null);
    }
  }

  // ---- life cycle ------------------------------------------------------------------------------

  /** The pool cannot go on: every task fails, and the workers are ended. */
  private void breakDown(String reason, Throwable cause) {
    synchronized (lock) {
      if (state == State.TERMINATED || state == State.BROKEN) {
        return;
      }
      state = State.BROKEN;
      brokenReason = reason;
    }
    Report.error(log, name + " is broken: " + reason, cause);
    WorkerLostException broken = new WorkerLostException(name + " is broken: " + reason);
    for (PendingTask t : scheduler.drain()) {
      t.fail(() -> broken);
    }
    workers.values().forEach(supervisor::terminate);
    finishIfDone();
  }

  /** No new tasks; those queued still run, then the workers exit. */
  @Override
  public void close() {
    synchronized (lock) {
      if (state == State.RUNNING) {
        state = State.CLOSED;
      }
    }
    retireIfDrained();
  }

  /** Stops the workers now; unfinished tasks fail with {@link PoolTerminatedException}. */
  @Override
  public void terminate() {
    synchronized (lock) {
      if (state == State.TERMINATED) {
        return;
      }
      state = State.TERMINATED;
    }
    PoolTerminatedException terminated =
        new PoolTerminatedException(name + " was terminated before the task completed");
    for (PendingTask t : scheduler.drain()) {
      t.fail(() -> terminated);
    }
    workers.values().forEach(supervisor::terminate);
    finishIfDone();
  }

  /** After close(): once nothing is queued or running, ask every worker to exit. */
  private void retireIfDrained() {
    synchronized (lock) {
      if (state != State.CLOSED || retired || !scheduler.idle()) {
        return;
      }
      retired = true;
    }
    for (SupervisedWorker w : workers.values()) {
      if (supervisor.isFleet() && w.connected() && !w.retiring() && w.process().isAlive()
          && workers.remove(w.id(), w)) {
        scheduler.removeWorker(w.id()); // it holds nothing: the pool is drained
        supervisor.giveBack(w);
      } else {
        w.retire();
      }
    }
    finishIfDone();
  }

  private void finishIfDone() {
    synchronized (lock) {
      if (state == State.RUNNING || !workers.isEmpty() || starting.get() > 0 || allExited.isDone()) {
        return;
      }
    }
    callbacks.shutdown();
    allExited.complete(null);
  }

  /** Completes once the pool is closed or terminated and every worker has exited. */
  @Override
  public CompletableFuture<Void> allExited() {
    return allExited;
  }

  @Override
  public State state() {
    synchronized (lock) {
      return state;
    }
  }

  /** The connected workers' pids, not those still starting or on their way out. */
  @Override
  public List<Long> pids() {
    return workers.values().stream()
        .filter(w -> w.connected() && !w.retiring())
        .sorted(Comparator.comparingInt(SupervisedWorker::id))
        .map(SupervisedWorker::pid)
        .toList();
  }

  /** For status reports. */
  PoolStats stats() {
    return new PoolStats(name, options.workers(), workers.size(), state().name(), scheduler.pendingCount(),
        scheduler.inFlightCount(), scheduler.completedCount());
  }

  @Override
  public String describe() {
    return name;
  }

  @Override
  public int tasksOn(SupervisedWorker worker) {
    return scheduler.heldBy(worker.id());
  }

  @Override
  public String toString() {
    return name + "[" + state() + ", workers=" + workers.size() + ", queued=" + scheduler.pendingCount()
        + ", running=" + scheduler.inFlightCount() + "]";
  }
}

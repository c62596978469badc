package dev.jobengine.master.internal.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Which queued task goes to which worker. Plain bookkeeping with no I/O, guarded by its own monitor;
 * callers send the returned assignments after the call, outside the lock.
 *
 * <p>Each worker holds at most {@code prefetch} tasks whose payloads add up to at most {@code
 * prefetchBytes} (a first task is always allowed, whatever its size), numbered per worker 1, 2, ... in assignment
 * order; a worker runs them in that order, so when a worker is lost its lowest-numbered unfinished
 * task is the one that was running. That one is reported as lost; the others never started and go
 * back to the front of the queue, in order.
 *
 * <p>Work stealing: when nothing is queued and a worker is idle while another holds tasks it has
 * not started, {@link #steal()} picks the younger half of those for revocation; the ones the worker
 * gives back ({@link #revoked}) return to the front of the queue and go to the idle worker. So a
 * task never waits behind a long one while a worker is free, whatever the prefetch.
 */
final class Scheduler<T extends Scheduler.Work> {
  /** A schedulable task. */
  interface Work {
    long taskId();

    /** Size of the task's payload, counted against the per-worker byte budget. */
    default long bytes() {
      return 0;
    }

    /** Settled already (cancelled, timed out): dropped instead of being sent again. */
    default boolean abandoned() {
      return false;
    }
  }

  /** Send {@code task} to worker {@code workerId} with sequence number {@code seq}. */
  record Assignment<T>(int workerId, long seq, T task) {}

  /**
   * A finished task (null when unknown, e.g. already failed) and the worker's next assignments;
   * {@code exhausted}: the worker ran its last task allowed and holds none.
   */
  record Completion<T>(T task, List<Assignment<T>> next, boolean exhausted) {}

  /** Where a held task is: which worker, its seq there, and whether it is the worker's head (running). */
  record Placement(int workerId, long seq, boolean head) {}

  /** A worker whose head task has been its head longer than a limit. */
  record Overdue<T>(int workerId, T task) {}

  /** The task a lost worker was running (null if none), and the reassignment of the others. */
  record Loss<T>(T running, List<Assignment<T>> reassigned) {}

  /** Ask worker {@code workerId} to give back these tasks (each with its seq) if not started. */
  record Steal<T>(int workerId, List<Assignment<T>> tasks) {}

  private static final class Held<T> {
    final long seq;
    final T task;
    boolean revoking;

    Held(long seq, T task) {
      this.seq = seq;
      this.task = task;
    }
  }

  private static final class Slot<T> {
    long nextSeq = 1;
    int revoking;
    long bytes;
    /** Tasks assigned and not given back: counted against the per-worker task budget. */
    long assigned;
    /** When the current head became the head (System.nanoTime()); meaningless when empty. */
    long headSince;
    /** Its worker is being killed (timeout, cancel): its head is not watched any more. */
    boolean doomed;
    final LinkedHashMap<Long, Held<T>> tasks = new LinkedHashMap<>();

    /** Held tasks after the first (which may be running) that are not being revoked already. */
    int stealable() {
      return Math.max(0, tasks.size() - 1 - revoking);
    }
  }

  private final int prefetch;
  private final long prefetchBytes;
  private final long maxTasksPerWorker;
  private final LongSupplier clock;
  private final ArrayDeque<T> pending = new ArrayDeque<>();
  private final Map<Integer, Slot<T>> slots = new LinkedHashMap<>();
  private int inFlight;
  private long completed;

  Scheduler(int prefetch) {
    this(prefetch, Long.MAX_VALUE, 0, System::nanoTime);
  }

  /**
   * {@code maxTasksPerWorker}: tasks one worker is given in its life (0: no limit); {@code clock}
   * in nanoseconds, for how long heads have been running.
   */
  Scheduler(int prefetch, long prefetchBytes, long maxTasksPerWorker, LongSupplier clock) {
    if (prefetch < 1) {
      throw new IllegalArgumentException("prefetch must be at least 1, was " + prefetch);
    }
    this.prefetch = prefetch;
    this.prefetchBytes = prefetchBytes;
    this.maxTasksPerWorker = maxTasksPerWorker;
    this.clock = clock;
  }

  synchronized List<Assignment<T>> submit(T task) {
    pending.addLast(task);
    return dispatch();
  }

  synchronized List<Assignment<T>> submitAll(Collection<? extends T> tasks) {
    pending.addAll(tasks);
    return dispatch();
  }

  /** A worker is ready for tasks. */
  synchronized List<Assignment<T>> addWorker(int workerId) {
    if (slots.putIfAbsent(workerId, new Slot<>()) != null) {
      throw new IllegalStateException("worker " + workerId + " is already registered");
    }
    return dispatch();
  }

  /** Worker {@code workerId} finished task {@code taskId}. */
  synchronized Completion<T> complete(int workerId, long taskId) {
    Slot<T> slot = slots.get(workerId);
    Held<T> held = slot == null ? null : slot.tasks.remove(taskId);
    if (held == null) {
      return new Completion<>(null, List.of(), false);
    }
    release(slot, held);
    inFlight--;
    completed++;
    slot.headSince = clock.getAsLong(); // the next one, if any, starts now
    List<Assignment<T>> next = dispatch();
    return new Completion<>(held.task, next, slot.tasks.isEmpty() && exhausted(slot));
  }

  /** A task lost with its worker runs again: it goes to the front of the queue. */
  synchronized List<Assignment<T>> retry(T task) {
    pending.addFirst(task);
    return dispatch();
  }

  /** Where {@code task} is held, if a worker holds it. */
  synchronized Optional<Placement> find(T task) {
    for (Map.Entry<Integer, Slot<T>> e : slots.entrySet()) {
      boolean first = true;
      for (Held<T> h : e.getValue().tasks.values()) {
        if (h.task.equals(task)) {
          return Optional.of(new Placement(e.getKey(), h.seq, first));
        }
        first = false;
      }
    }
    return Optional.empty();
  }

  /**
   * Settles a held task with {@code settle}, atomically with finding it held: empty if no worker
   * holds it (it finished: its outcome is on its way), if it is a head and {@code orHead} is
   * false, or if {@code settle} returns false. A head settled so dooms its worker (see {@link
   * #overdue}): the caller kills it.
   */
  synchronized Optional<Placement> settleHeld(T task, boolean orHead, Predicate<T> settle) {
    Optional<Placement> where = find(task);
    if (where.isEmpty() || (where.get().head() && !orHead) || !settle.test(task)) {
      return Optional.empty();
    }
    if (where.get().head()) {
      slots.get(where.get().workerId()).doomed = true;
    }
    return where;
  }

  /** The worker whose head (running) task is {@code task}, if any. */
  synchronized Optional<Integer> runningOn(T task) {
    return find(task).filter(Placement::head).map(Placement::workerId);
  }

  /**
   * Heads that have been heads for at least {@code limitNanos}, on workers not doomed already;
   * each one's worker is doomed now (the caller kills it), and {@code settle} is applied to each
   * head, atomically with finding it (it may have been settled already: a cancelled task that its
   * worker had started).
   */
  synchronized List<Overdue<T>> overdue(long limitNanos, Consumer<T> settle) {
    long now = clock.getAsLong();
    List<Overdue<T>> out = new ArrayList<>();
    for (Map.Entry<Integer, Slot<T>> e : slots.entrySet()) {
      Slot<T> slot = e.getValue();
      if (!slot.tasks.isEmpty() && !slot.doomed && now - slot.headSince >= limitNanos) {
        T head = slot.tasks.values().iterator().next().task;
        slot.doomed = true;
        settle.accept(head);
        out.add(new Overdue<>(e.getKey(), head));
      }
    }
    return out;
  }

  /**
   * When the longest-running head became one, among workers not doomed (one timed out waits for
   * its end); {@link Long#MAX_VALUE} if there is none.
   */
  synchronized long oldestHeadSince() {
    long oldest = 0;
    boolean found = false;
    for (Slot<T> slot : slots.values()) {
      if (!slot.tasks.isEmpty() && !slot.doomed && (!found || slot.headSince - oldest < 0)) {
        oldest = slot.headSince;
        found = true;
      }
    }
    return found ? oldest : Long.MAX_VALUE;
  }

  /**
   * When nothing is queued and some worker holds no task, the younger half of the unstarted tasks
   * of the worker holding most of them, to revoke; empty otherwise. A worker whose earlier
   * revocation is unanswered is not asked again (it may be slow, or stopped), but the others may be.
   */
  synchronized Optional<Steal<T>> steal() {
    if (!pending.isEmpty() || slots.values().stream().noneMatch(s -> s.tasks.isEmpty())) {
      return Optional.empty(); // nothing to balance
    }
    Map.Entry<Integer, Slot<T>> victim = null;
    for (Map.Entry<Integer, Slot<T>> e : slots.entrySet()) {
      if (e.getValue().revoking == 0
          && (victim == null || e.getValue().stealable() > victim.getValue().stealable())) {
        victim = e;
      }
    }
    if (victim == null || victim.getValue().stealable() == 0) {
      return Optional.empty();
    }
    Slot<T> slot = victim.getValue();
    int take = (slot.stealable() + 1) / 2;
    List<Held<T>> candidates = new ArrayList<>(slot.tasks.values());
    List<Assignment<T>> out = new ArrayList<>();
    for (int i = candidates.size() - 1; i >= 1 && out.size() < take; i--) {
      Held<T> h = candidates.get(i);
      if (!h.revoking) {
        h.revoking = true;
        slot.revoking++;
        out.add(0, new Assignment<>(victim.getKey(), h.seq, h.task));
      }
    }
    return Optional.of(new Steal<>(victim.getKey(), out));
  }

  /** Worker {@code workerId} gave back these tasks: they go to the front of the queue, in order. */
  synchronized List<Assignment<T>> revoked(int workerId, Collection<Long> taskIds) {
    Slot<T> slot = slots.get(workerId);
    if (slot == null) {
      return List.of();
    }
    List<Held<T>> back = new ArrayList<>();
    for (long id : taskIds) {
      Held<T> h = slot.tasks.remove(id);
      if (h != null) {
        back.add(h);
        release(slot, h);
        slot.assigned--;
      }
    }
    back.sort(Comparator.comparingLong(h -> h.seq));
    for (int i = back.size() - 1; i >= 0; i--) {
      pending.addFirst(back.get(i).task);
    }
    inFlight -= back.size();
    return dispatch();
  }

  /** Worker {@code workerId} is gone (or takes no more tasks). Unknown workers are ignored. */
  synchronized Loss<T> removeWorker(int workerId) {
    Slot<T> slot = slots.remove(workerId);
    if (slot == null || slot.tasks.isEmpty()) {
      return new Loss<>(null, slot == null ? List.of() : dispatch());
    }
    inFlight -= slot.tasks.size();
    List<T> held = slot.tasks.values().stream().map(h -> h.task).toList();
    T running = held.get(0);
    for (int i = held.size() - 1; i >= 1; i--) {
      pending.addFirst(held.get(i));
    }
    return new Loss<>(running, dispatch());
  }

  /** Removes {@code task} if it is still queued in the master; false once it was assigned. */
  synchronized boolean cancel(T task) {
    return pending.remove(task);
  }

  /** Removes and returns every queued and assigned task. */
  synchronized List<T> drain() {
    List<T> all = new ArrayList<>(pending);
    pending.clear();
    for (Slot<T> slot : slots.values()) {
      slot.tasks.values().forEach(h -> all.add(h.task));
      slot.tasks.clear();
      slot.revoking = 0;
      slot.bytes = 0;
    }
    inFlight = 0;
    return all;
  }

  /** Nothing queued and nothing in a worker. */
  synchronized boolean idle() {
    return pending.isEmpty() && inFlight == 0;
  }

  synchronized int pendingCount() {
    return pending.size();
  }

  synchronized int inFlightCount() {
    return inFlight;
  }

  /** Tasks finished by a worker so far. */
  synchronized long completedCount() {
    return completed;
  }

  /** Tasks worker {@code workerId} holds: the one it runs and those prefetched; 0 for an unknown worker. */
  synchronized int heldBy(int workerId) {
    Slot<T> slot = slots.get(workerId);
    return slot == null ? 0 : slot.tasks.size();
  }

  synchronized int workerCount() {
    return slots.size();
  }

  private static <T extends Work> void release(Slot<T> slot, Held<T> held) {
    slot.bytes -= held.task.bytes();
    if (held.revoking) {
      slot.revoking--;
    }
  }

  private boolean exhausted(Slot<T> slot) {
    return maxTasksPerWorker > 0 && slot.assigned >= maxTasksPerWorker;
  }

  private boolean accepts(Slot<T> slot, T task) {
    if (exhausted(slot)) {
      return false;
    }
    int held = slot.tasks.size();
    return held == 0 || (held < prefetch && slot.bytes + task.bytes() <= prefetchBytes);
  }

  private List<Assignment<T>> dispatch() {
    if (pending.isEmpty()) {
      return List.of();
    }
    List<Assignment<T>> out = new ArrayList<>();
    while (!pending.isEmpty()) {
      T task = pending.peekFirst();
      if (task.abandoned()) {
        pending.pollFirst();
        continue;
      }
      Map.Entry<Integer, Slot<T>> best = null;
      for (Map.Entry<Integer, Slot<T>> e : slots.entrySet()) {
        if (accepts(e.getValue(), task)
            && (best == null || e.getValue().tasks.size() < best.getValue().tasks.size())) {
          best = e;
        }
      }
      if (best == null) {
        break;
      }
      pending.pollFirst();
      Slot<T> slot = best.getValue();
      if (slot.tasks.isEmpty()) {
        slot.headSince = clock.getAsLong();
      }
      slot.assigned++;
      long seq = slot.nextSeq++;
      slot.tasks.put(task.taskId(), new Held<>(seq, task));
      slot.bytes += task.bytes();
      inFlight++;
      out.add(new Assignment<>(best.getKey(), seq, task));
    }
    return out;
  }
}

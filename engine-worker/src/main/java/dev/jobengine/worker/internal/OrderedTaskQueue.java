package dev.jobengine.worker.internal;

import dev.jobengine.proto.Revocation;
import dev.jobengine.proto.TaskAssignment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The tasks a worker holds, handed out strictly in the master's sequence order ({@code seq} 1, 2,
 * ...), whatever order they arrive in. The master relies on that order: when a worker dies, the
 * lowest unfinished sequence number is the task it was running.
 *
 * <p>The master may revoke tasks not yet handed out (work stealing), even before they arrive: a
 * revoked sequence number is skipped, and the task is dropped if it arrives later.
 */
final class OrderedTaskQueue {
  private final TreeMap<Long, TaskAssignment> bySeq = new TreeMap<>();
  /** Revoked sequence numbers not reached by {@code nextSeq} yet: take() skips them. */
  private final Set<Long> skipped = new HashSet<>();
  /** Revoked sequence numbers whose task has not arrived yet: dropped on arrival. */
  private final Set<Long> revokedAhead = new HashSet<>();
  private long nextSeq = 1;
  private boolean shutdown;
  private boolean aborted;

  synchronized void add(TaskAssignment task) {
    if (revokedAhead.remove(task.getSeq())) {
      return;
    }
    if (task.getSeq() < nextSeq || bySeq.putIfAbsent(task.getSeq(), task) != null) {
      throw new IllegalStateException("duplicate task sequence number " + task.getSeq());
    }
    if (task.getSeq() == nextSeq) {
      notifyAll();
    }
  }

  /**
   * Gives back the tasks of {@code revocations} that were not handed out yet; returns their ids.
   * Tasks already handed out are not given back (their results will follow).
   */
  synchronized List<Long> revoke(List<Revocation> revocations) {
    List<Long> revoked = new ArrayList<>();
    for (Revocation r : revocations) {
      if (r.getSeq() < nextSeq) {
        continue;
      }
      if (bySeq.remove(r.getSeq()) == null) {
        revokedAhead.add(r.getSeq());
      }
      skipped.add(r.getSeq());
      revoked.add(r.getTaskId());
    }
    if (!revoked.isEmpty()) {
      notifyAll();
    }
    return revoked;
  }

  /**
   * A new lease begins: its tasks start again at seq 1. The last lease is done (the master waited
   * for every result), so nothing is held.
   */
  synchronized void reset() {
    bySeq.clear();
    skipped.clear();
    revokedAhead.clear();
    nextSeq = 1;
  }

  /** Hand out what is held, then end. */
  synchronized void shutdown() {
    shutdown = true;
    notifyAll();
  }

  /** End now; held tasks are dropped (the master has gone). */
  synchronized void abort() {
    aborted = true;
    notifyAll();
  }

  synchronized boolean isAborted() {
    return aborted;
  }

  /** What {@link #take(long)} returns when no task came in time. */
  static final TaskAssignment NONE_YET = TaskAssignment.getDefaultInstance();

  /**
   * As {@link #take()}, but waits at most {@code nanos} (0: no bound): {@link #NONE_YET} if the next
   * task in sequence has not come by then.
   */
  synchronized TaskAssignment take(long nanos) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    while (true) {
      if (aborted) {
        return null;
      }
      while (skipped.remove(nextSeq)) {
        nextSeq++;
      }
      TaskAssignment next = bySeq.remove(nextSeq);
      if (next != null) {
        nextSeq++;
        return next;
      }
      if (shutdown && bySeq.isEmpty()) {
        return null;
      }
      if (nanos <= 0) {
        wait();
        continue;
      }
      long rest = deadline - System.nanoTime();
      if (rest <= 0) {
        return NONE_YET;
      }
      TimeUnit.NANOSECONDS.timedWait(this, rest);
    }
  }

  /** The next task in sequence, or null once shut down and empty, or aborted. */
  synchronized TaskAssignment take() throws InterruptedException {
    return take(0);
  }
}

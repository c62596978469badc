package dev.jobengine.worker.internal;

import dev.jobengine.proto.TaskAssignment;
import java.util.TreeMap;

/**
 * The tasks a worker holds, handed out strictly in the master's sequence order ({@code seq} 1, 2,
 * ...), whatever order they arrive in. The master relies on that order: when a worker dies, the
 * lowest unfinished sequence number is the task it was running.
 */
final class OrderedTaskQueue {
  private final TreeMap<Long, TaskAssignment> bySeq = new TreeMap<>();
  private long nextSeq = 1;
  private boolean shutdown;
  private boolean aborted;

  synchronized void add(TaskAssignment task) {
    if (task.getSeq() < nextSeq || bySeq.putIfAbsent(task.getSeq(), task) != null) {
      throw new IllegalStateException("duplicate task sequence number " + task.getSeq());
    }
    if (task.getSeq() == nextSeq) {
      notifyAll();
    }
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

  /** The next task in sequence, or null once shut down and empty, or aborted. */
  synchronized TaskAssignment take() throws InterruptedException {
    while (true) {
      if (aborted) {
        return null;
      }
      TaskAssignment next = bySeq.remove(nextSeq);
      if (next != null) {
        nextSeq++;
        return next;
      }
      if (shutdown && bySeq.isEmpty()) {
        return null;
      }
      wait();
    }
  }
}

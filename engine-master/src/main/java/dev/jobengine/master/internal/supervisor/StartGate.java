package dev.jobengine.master.internal.supervisor;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How many worker JVMs start at once. A JVM takes most of a core for half a second or more to
 * start; started all together, many JVMs share the cores and none is ready early. Let through a few
 * at a time, the first ones connect soon and serve tasks while the others start. A JVM holds its
 * place from its launch until it connects or ends; then the next launch in line goes, in the
 * order asked. Thread-safe; the launches run outside its lock.
 */
final class StartGate {
  /** Default number of JVMs starting at once: two per core (one alone leaves the cores idle while a JVM waits on I/O). */
  static final int DEFAULT_LIMIT = Integer.getInteger(
      "jobengine.startingWorkers", 2 * Runtime.getRuntime().availableProcessors());

  private final int limit;
  private final Deque<Runnable> waiting = new ArrayDeque<>(); // guarded by this
  private int starting; // guarded by this

  StartGate(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    this.limit = limit;
  }

  /** Runs {@code launch} now if fewer than the limit are starting, else once it is its turn. */
  void enter(Runnable launch) {
    synchronized (this) {
      if (starting >= limit) {
        waiting.addLast(launch);
        return;
      }
      starting++;
    }
    launch.run();
  }

  /** A launch that does not wait (a process's: its caller waits for the JVM) holds a place all the same. */
  synchronized void enterNow() {
    starting++;
  }

  /** A JVM that held a place connected or ended, or its launch failed: the next launch in line goes. */
  void leave() {
    Runnable next;
    synchronized (this) {
      next = starting > limit ? null : waiting.pollFirst(); // past the limit (launches that did not wait): no place to hand on
      if (next == null) {
        starting--;
        return;
      }
    }
    next.run(); // it takes over the place
  }

  /** Launches waiting for their turn. */
  synchronized int waiting() {
    return waiting.size();
  }

  /** JVMs starting now (launched, neither connected nor ended). */
  synchronized int starting() {
    return starting;
  }
}

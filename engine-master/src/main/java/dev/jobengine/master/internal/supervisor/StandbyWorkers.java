package dev.jobengine.master.internal.supervisor;

import dev.jobengine.PoolOptions;
import dev.jobengine.proto.ResultBatch;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker JVMs started ahead of need ({@link dev.jobengine.EngineOptions#standbyWorkers()}): each
 * one starts, connects and waits, idle, owned by this, until a pool or a process adopts it in
 * place of starting a JVM; every one adopted is replaced in the background. Only a pool or process
 * whose JVM options, class path and output are the defaults can adopt one, since those are fixed
 * when a JVM starts. A standby worker that dies is replaced too, unless {@link StartFailures#MAX}
 * in a row died before connecting.
 */
final class StandbyWorkers implements WorkerOwner {
  private static final Logger log = LoggerFactory.getLogger(StandbyWorkers.class);
  private static final PoolOptions LAUNCH = PoolOptions.builder().build();

  private final WorkerSupervisor supervisor;
  private final int target;
  private final StartFailures startFailures = new StartFailures();
  /** Started and not adopted, connected or not; the oldest first. */
  private final Deque<SupervisedWorker> idle = new ArrayDeque<>(); // guarded by this
  private int launching; // guarded by this: launches asked for and not finished
  private int forking; // guarded by this: those of them whose turn came (close waits for these only)
  private boolean closed; // guarded by this

  StandbyWorkers(WorkerSupervisor supervisor, int target) {
    this.supervisor = supervisor;
    this.target = target;
  }

  int target() {
    return target;
  }

  /** Starts the standby workers in the background (none if the target is 0). */
  void start() {
    for (int i = 0; i < target; i++) {
      launchLater();
    }
  }

  /** Whether one more should start: fewer than the target are idle or coming, and the fleet has room. */
  private boolean wantsMore() {
    synchronized (this) {
      return !closed && idle.size() + launching < target && supervisor.roomFor(launching + 1);
    }
  }

  /** Starts standby workers while fewer than the target are idle or coming (and there is room). */
  void refill() {
    while (wantsMore()) {
      launchLater();
    }
  }

  synchronized int idleCount() {
    return idle.size();
  }

  /**
   * A daemon's pool gave {@code w} back, warm: it waits first in line for the next lease (its JIT
   * has compiled the task path already). One given back after close ends.
   */
  void returned(SupervisedWorker w) {
    boolean late;
    synchronized (this) {
      late = closed;
      if (!late) {
        idle.addFirst(w);
      }
    }
    if (late || !w.adopt(this, LAUNCH.livenessTimeout())) {
      synchronized (this) {
        idle.remove(w);
      }
      w.retire();
    }
  }

  /** A worker joined the fleet of its own accord: it waits, idle, with the others. */
  void joined(SupervisedWorker w) {
    boolean late;
    synchronized (this) {
      late = closed;
      if (!late) {
        idle.addLast(w);
      }
    }
    if (late) {
      w.retire();
    }
  }

  /** Launches run on the launcher thread, never on the caller's. */
  private void launchLater() {
    synchronized (this) {
      if (closed) {
        return;
      }
      launching++;
    }
    supervisor.launchInTurn(() -> {
      synchronized (this) {
        forking++;
      }
      try {
        return launch();
      } finally {
        synchronized (this) {
          launching--;
          forking--;
          notifyAll();
        }
      }
    });
  }

  /** Whether a worker to be started with these options could be a standby one. */
  static boolean fits(PoolOptions options) {
    return options.jvmOptions().equals(LAUNCH.jvmOptions())
        && java.util.Objects.equals(options.classPath(), LAUNCH.classPath())
        && options.output() == LAUNCH.output();
  }

  /**
   * A standby worker for a worker to be started with {@code options}, or null if none fits or is
   * left; its replacement starts in the background. The caller must adopt it at once. Connected
   * ones are taken first.
   */
  SupervisedWorker take(PoolOptions options) {
    if ((target == 0 && !supervisor.isFleet()) || !fits(options)) {
      return null;
    }
    SupervisedWorker s = null;
    synchronized (this) {
      if (!closed) {
        for (SupervisedWorker c : idle) { // the first connected one: given back (warmest) first, then the oldest
          if (s == null || (c.connected() && !s.connected())) {
            s = c;
          }
        }
        if (s != null) {
          idle.remove(s);
        }
      }
    }
    if (s != null && wantsMore()) {
      launchLater();
    }
    return s;
  }

  /**
   * Ends the standby workers nobody adopted and waits, at most {@code timeout}, for them to exit;
   * those still alive then are killed. No standby worker starts after this.
   */
  void close(Duration timeout) {
    List<SupervisedWorker> left;
    synchronized (this) {
      closed = true;
      long deadline = System.nanoTime() + timeout.toNanos();
      try {
        // a launch still waiting for its turn in the start gate finds the standby closed and starts nothing
        for (long rest = timeout.toNanos(); forking > 0 && rest > 0; rest = deadline - System.nanoTime()) {
          TimeUnit.NANOSECONDS.timedWait(this, rest);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (forking > 0) {
        log.debug("{} standby launches still under way; each ends its worker when done", forking);
      }
      left = List.copyOf(idle);
    }
    left.forEach(SupervisedWorker::retire);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (SupervisedWorker s : left) {
      try {
        s.process().onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        s.kill();
      } catch (ExecutionException | TimeoutException e) {
        s.kill();
        try {
          s.process().waitFor(1, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** On the launcher thread: the worker started, or null. */
  private SupervisedWorker launch() {
    synchronized (this) {
      if (closed) {
        return null;
      }
    }
    SupervisedWorker s;
    try {
      s = supervisor.launch(LAUNCH, this, true);
    } catch (IOException e) {
      log.warn("cannot start a standby worker JVM; pools and processes will start their own", e);
      return null;
    }
    boolean lateForClose;
    synchronized (this) {
      idle.add(s);
      lateForClose = closed; // close() gave up waiting for this launch: end it here
    }
    if (lateForClose) {
      s.retire();
    }
    return s;
  }

  @Override
  public void connected(SupervisedWorker worker) {
    startFailures.connected();
  }

  @Override
  public void results(SupervisedWorker worker, ResultBatch batch) {
    // a standby worker runs no tasks of ours
  }

  @Override
  public String describe() {
    return "idle";
  }

  /** A standby worker ended before anyone adopted it: start another, unless they keep failing. */
  @Override
  public void gone(SupervisedWorker s) {
    boolean replace;
    synchronized (this) {
      if (!idle.remove(s)) {
        return;
      }
      replace = !startFailures.ended(s) && !closed && !s.joined();
    }
    replace &= wantsMore();
    if (replace) {
      log.warn("standby {} ended ({}); starting another", s, s.describeExit());
      launchLater();
    } else if (!s.retiring()) {
      log.warn("standby {} ended ({})", s, s.describeExit());
    }
  }
}

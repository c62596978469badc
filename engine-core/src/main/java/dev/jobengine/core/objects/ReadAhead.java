package dev.jobengine.core.objects;

import com.google.protobuf.ByteString;
import dev.jobengine.proto.Invocation.Op;
import dev.jobengine.proto.ObjectRef.Kind;
import dev.jobengine.proto.Reply;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One process's read-ahead on one queue of the master: a blocking take asks for up to {@link
 * #BATCH} items, hands out the first and keeps the rest here for the process's next takes, so a
 * busy consumer pays one round trip per batch instead of one per item.
 *
 * <p>The master knows what each process read ahead (see the master's QueueState): on a plain
 * queue the process reports each item it hands out ({@code consumed}); on a joinable queue the
 * items count as taken by the process until marked done. Items not handed out go back to the
 * front of the queue, in order, when the process stops taking for {@link #IDLE_NANOS} (so a
 * consumer that stopped, say at a sentinel, does not hold items other consumers wait for), when
 * its task ends, or when the process dies.
 *
 * <p>On a joinable queue it also counts the items this process took and has not marked done: a
 * {@code taskDone} that is sure to succeed need not wait for the master.
 *
 * <p>Hand-outs ({@code consumed}) and such taskDones are reported to the master in bulk: the first
 * one schedules a report on the read-ahead thread {@link #REPORT_DELAY_NANOS} later, and those that
 * come before it runs, or before the process's next call to the master (which reports first), go
 * in the same message. A busy consumer so sends one report per batch it takes (its next take
 * reports first) instead of one per item. If the process dies, the items it handed out and had not
 * reported go back to the queue (at most those of the last millisecond or batch): another
 * consumer may get them again. The counts commute: the master
 * settles a report against the session's oldest read-ahead items, whatever came in between.
 */
final class ReadAhead {
  /** Items a take asks for: the one it returns and up to BATCH - 1 to keep. */
  static final int BATCH = Integer.getInteger("jobengine.readAheadBatch", 256);
  /** A process that has not taken for this long gives back what it read ahead. */
  static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /**
   * How long a report waits for more hand-outs or taskDones to go with it, unless a call of the
   * process goes first (which reports). Reporting at once cost the read-ahead thread a wake-up and
   * the master a message every few items: measured in W6, 30-55 reports per 1000 items.
   */
  static final long REPORT_DELAY_NANOS = Long.getLong("jobengine.readAheadReportMicros", 1000) * 1000;

  private final HandleCore core;
  private final ScheduledExecutorService timer;
  private final boolean joinable;
  private final ArrayDeque<ByteString> items = new ArrayDeque<>(); // guarded by this
  private long lastUse; // guarded by this
  private boolean checkScheduled; // guarded by this
  private long outstanding; // guarded by this; joinable: taken here, not yet marked done
  /** Hand-outs (plain) or taskDones (joinable) the master has not been told of. */
  private final AtomicLong unreported = new AtomicLong();
  private final AtomicBoolean reportScheduled = new AtomicBoolean();

  ReadAhead(HandleCore core, ScheduledExecutorService timer) {
    this.core = core;
    this.timer = timer;
    this.joinable = core.kind() == Kind.JOINABLE_QUEUE;
  }

  /**
   * A read-ahead item, or one from the master waiting at most {@code timeoutNanos} (negative: no
   * limit); null on timeout.
   */
  ByteString take(long timeoutNanos) throws InterruptedException {
    synchronized (this) {
      ByteString b = handOut();
      if (b != null) {
        return b;
      }
    }
    Reply r = core.call(Op.TAKE, timeoutNanos, BATCH);
    if (r.getTimedOut()) {
      return null;
    }
    synchronized (this) {
      tookFromMaster(1);
      for (int i = 1; i < r.getValuesCount(); i++) {
        items.addLast(r.getValues(i));
      }
      lastUse = System.nanoTime();
      if (!items.isEmpty()) {
        scheduleCheck();
      }
    }
    return r.getValues(0);
  }

  /** A read-ahead item handed out now, or null if there is none. */
  synchronized ByteString poll() {
    return handOut();
  }

  /** The next read-ahead item, not handed out; null if none. */
  synchronized ByteString peek() {
    return items.peekFirst();
  }

  /** Hands out up to {@code max} read-ahead items. */
  synchronized List<ByteString> drain(int max) {
    List<ByteString> out = new ArrayList<>();
    ByteString b;
    while (out.size() < max && (b = handOut()) != null) {
      out.add(b);
    }
    return out;
  }

  synchronized int size() {
    return items.size();
  }

  synchronized List<ByteString> snapshot() {
    return new ArrayList<>(items);
  }

  /** Items this process took from the master itself (not through the read-ahead). */
  synchronized void tookFromMaster(int count) {
    if (joinable) {
      outstanding += count;
    }
  }

  /**
   * Joinable: counts one of this process's taken items as done, if it has one outstanding; then
   * the master's taskDone cannot fail for this process, and need not be waited for.
   */
  synchronized boolean markDoneLocally() {
    if (outstanding > 0) {
      outstanding--;
      toReport();
      return true;
    }
    return false;
  }

  /**
   * Reports what is unreported, then gives every item not handed out back to the master (they go
   * back to the queue's front).
   */
  synchronized void giveBack() {
    report();
    if (items.isEmpty()) {
      return;
    }
    core.sendNow(Op.RETURN, 0, items.toArray(ByteString[]::new));
    items.clear();
  }

  private ByteString handOut() {
    ByteString b = items.pollFirst();
    if (b != null) {
      lastUse = System.nanoTime();
      if (joinable) {
        outstanding++;
      } else {
        toReport();
      }
    }
    return b;
  }

  /** One more hand-out or taskDone to report; the first since the last report schedules one. */
  private void toReport() {
    unreported.incrementAndGet();
    if (reportScheduled.compareAndSet(false, true)) {
      try {
        timer.schedule(this::scheduledReport, REPORT_DELAY_NANOS, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        reportScheduled.set(false); // the process is ending: report at once
        report();
      }
    }
  }

  private void scheduledReport() {
    reportScheduled.set(false);
    try {
      report();
    } catch (RuntimeException e) {
      // the connection is lost: the master settles the session's items when it ends
    }
  }

  /**
   * Sends the unreported count, consumed (plain queue) or task_done (joinable), if any; from any
   * thread, with or without this object's lock.
   */
  void report() {
    long n = unreported.getAndSet(0);
    if (n > 0) {
      core.sendNow(joinable ? Op.TASK_DONE : Op.CONSUMED, n);
    }
  }

  private void scheduleCheck() {
    if (!checkScheduled) {
      checkScheduled = true;
      timer.schedule(this::checkIdle, IDLE_NANOS, TimeUnit.NANOSECONDS);
    }
  }

  private synchronized void checkIdle() {
    checkScheduled = false;
    if (items.isEmpty()) {
      return;
    }
    long idle = System.nanoTime() - lastUse;
    if (idle >= IDLE_NANOS) {
      try {
        giveBack();
      } catch (RuntimeException e) {
        // the connection is lost: the master takes the items back when the session ends
      }
    } else {
      checkScheduled = true;
      timer.schedule(this::checkIdle, IDLE_NANOS - idle, TimeUnit.NANOSECONDS);
    }
  }
}

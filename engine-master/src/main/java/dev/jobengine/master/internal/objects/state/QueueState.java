package dev.jobengine.master.internal.objects.state;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;

/**
 * A FIFO queue (Python's {@code multiprocessing.Queue}, or {@code JoinableQueue} when joinable),
 * optionally bounded. Blocked puts and takes wait in FIFO order; a take feeds from the head, a put
 * feeds a waiting take directly, and space freed by a take, poll or drain admits waiting puts.
 *
 * <p>Timeouts: the caller cancels a blocking operation's future. A cancelled pending put is
 * withdrawn (its item never enters the queue); a cancelled pending take leaves the queue as it
 * was. If the cancel comes after the grant was decided but before the future completed, the grant
 * is given back: a taken item returns to the front of the queue; an admitted put's item is removed
 * again if nobody has taken it yet (otherwise the put stands).
 *
 * <p>Joinable queues count unfinished items (put and not yet marked done) and record, per session
 * in taking order, the items each session took. When a session ends, the items it took and did not
 * mark done go back to the front of the queue in their original order and stay unfinished.
 *
 * <p>A process may read ahead: take more than one item at a time and hand them out itself (see
 * {@link #readAhead}); what it did not hand out comes back when it returns it or ends.
 *
 * <p>A bounded queue may briefly hold more than {@code maxsize} items after items were given back;
 * it then admits no puts until it is below {@code maxsize} again. Thread-safe; guarded by its own
 * monitor.
 */
public final class QueueState implements SessionScoped {
  /** A queued item, compared by identity (the same object may be queued twice). */
  private static final class Entry {
    final Object item;
    long seq = Long.MIN_VALUE; // order of entry into the queue; set by enqueue

    Entry(Object item) {
      this.item = item;
    }
  }

  private static final class PutWaiter extends Waiter<Void> {
    final Entry entry;

    PutWaiter(long session, CompletableFuture<Void> future, Entry entry) {
      super(session, future);
      this.entry = entry;
    }
  }

  /** Session of a {@link #join()} with no session: never cancelled by {@link #sessionEnded}. */
  private static final long NO_SESSION = Long.MIN_VALUE;

  private final int maxsize;
  private final boolean joinable;
  private final ArrayDeque<Entry> items = new ArrayDeque<>();
  private final WaitQueue<Void> putWaiters = new WaitQueue<>(this);
  private final WaitQueue<Object> takeWaiters = new WaitQueue<>(this);
  private final JoinLedger<Entry> ledger; // null unless joinable
  private long nextSeq;
  /** Plain queues: per session, the items it read ahead and has not yet consumed, oldest first. */
  private final Map<Long, ArrayDeque<Entry>> leases = new HashMap<>();

  /** A queue holding at most {@code maxsize} items ({@code maxsize <= 0}: unbounded). */
  public QueueState(int maxsize, boolean joinable) {
    this.maxsize = Math.max(0, maxsize);
    this.joinable = joinable;
    this.ledger = joinable ? new JoinLedger<>(this) : null;
  }

  /** The bound, or 0 when unbounded. */
  public int maxsize() {
    return maxsize;
  }

  /** Whether this is a JoinableQueue (taskDone/join/unfinished allowed). */
  public boolean joinable() {
    return joinable;
  }

  /**
   * Puts {@code item} at the tail: the future completes once it is in the queue (at once unless the
   * queue is full or earlier puts wait). Cancelling the pending future withdraws the put; a session
   * ending cancels its pending puts.
   */
  public CompletableFuture<Void> put(long session, Object item) {
    return put(session, item, new CompletableFuture<>());
  }

  /** {@link #put(long, Object)} completing the caller's {@code future}; returns it. */
  public CompletableFuture<Void> put(long session, Object item, CompletableFuture<Void> future) {
    Entry entry = new Entry(Objects.requireNonNull(item, "item"));
    return putWaiters.await(new PutWaiter(session, future, entry), completions -> {
      if (!putWaiters.isEmpty() || !hasSpace()) {
        return false;
      }
      enqueue(entry);
      completions.grant(future, null, more -> putRefused(entry, more));
      dispatch(completions);
      return true;
    }, null);
  }

  /**
   * Unbounded queues only: puts {@code batch} at the tail in its order, under one hold of the
   * monitor, then feeds waiting takes. Throws {@link IllegalStateException} on a bounded queue,
   * whose puts may wait and so go one by one.
   */
  public void putAll(long session, List<?> batch) {
    if (maxsize != 0) {
      throw new IllegalStateException("a batch of puts needs an unbounded queue (maxsize " + maxsize + ")");
    }
    for (Object item : batch) {
      Objects.requireNonNull(item, "item");
    }
    Completions.decide(this, completions -> {
      for (Object item : batch) {
        enqueue(new Entry(item));
      }
      dispatch(completions);
    });
  }

  /** Puts {@code item} if there is room now (and no put waits); false otherwise. */
  public boolean offer(long session, Object item) {
    Entry entry = new Entry(Objects.requireNonNull(item, "item"));
    Completions completions = new Completions();
    synchronized (this) {
      if (!putWaiters.isEmpty() || !hasSpace()) {
        return false;
      }
      enqueue(entry);
      dispatch(completions);
    }
    completions.run(this);
    return true;
  }

  /**
   * Takes the head item: the future completes with it (at once if the queue has one). Cancelling
   * the pending future withdraws the take; a session ending cancels its pending takes. On a
   * joinable queue the item is recorded as taken by {@code session} (so do {@link #poll} and
   * {@link #drain}) until {@link #taskDone} marks it or the session ends and it comes back.
   */
  public CompletableFuture<Object> take(long session) {
    return take(session, new CompletableFuture<>());
  }

  /** {@link #take(long)} completing the caller's {@code future}; returns it. */
  public CompletableFuture<Object> take(long session, CompletableFuture<Object> future) {
    return takeWaiters.await(session, future, completions -> {
      if (items.isEmpty()) {
        return false;
      }
      grantTake(session, future, items.pollFirst(), completions);
      dispatch(completions);
      return true;
    });
  }

  /** Takes the head item if there is one, without waiting. */
  public Optional<Object> poll(long session) {
    List<Object> one = drain(session, 1);
    return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
  }

  /** Takes up to {@code max} items from the head, without waiting ({@code max <= 0}: none). */
  public List<Object> drain(long session, int max) {
    return takeHead(session, max, false, Long.MAX_VALUE, item -> 0);
  }

  /** Takes up to {@code max} head items for {@code session}; leased too if {@code lease} on a plain queue. */
  private List<Object> takeHead(long session, int max, boolean lease, long maxBytes, ToLongFunction<Object> size) {
    List<Object> taken = new ArrayList<>(Math.min(Math.max(max, 0), 16)); // most takes find a few items, not max
    Completions.decide(this, completions -> {
      long bytes = 0;
      while (taken.size() < max && !items.isEmpty()) {
        bytes += size.applyAsLong(items.peekFirst().item);
        if (bytes > maxBytes) {
          break;
        }
        Entry entry = items.pollFirst();
        if (joinable) {
          ledger.record(session, entry);
        } else if (lease) {
          leases.computeIfAbsent(session, s -> new ArrayDeque<>()).addLast(entry);
        }
        taken.add(entry.item);
      }
      if (!taken.isEmpty()) {
        dispatch(completions);
      }
    });
    return taken;
  }

  /**
   * Read-ahead: after a take, a process may take up to {@code max} more items that are in the queue
   * now, to hand out locally. On a joinable queue they are recorded as taken, like any take; on a
   * plain queue they are leased to the session until it reports them {@link #consumed}. Either
   * way, if the session ends they go back to the front in their original order, and {@link
   * #returned} gives back the ones it did not hand out.
   */
  public List<Object> readAhead(long session, int max) {
    return takeHead(session, max, true, Long.MAX_VALUE, item -> 0);
  }

  /**
   * {@link #readAhead(long, int)} taking items only while their total {@code size} stays within
   * {@code maxBytes} (so that they fit in one message).
   */
  public List<Object> readAhead(long session, int max, long maxBytes, ToLongFunction<Object> size) {
    return takeHead(session, max, true, maxBytes, size);
  }

  /** Plain queues: the session handed out its {@code count} oldest read-ahead items. */
  public synchronized void consumed(long session, long count) {
    ArrayDeque<Entry> lease = leases.get(session);
    for (long i = 0; i < count && lease != null && !lease.isEmpty(); i++) {
      lease.pollFirst();
    }
    if (lease != null && lease.isEmpty()) {
      leases.remove(session);
    }
  }

  /**
   * The session gives back read-ahead items it did not hand out: each goes back where its age puts
   * it, before every item that entered the queue after it (so a sentinel another process returns
   * never overtakes older items).
   */
  public void returned(long session, List<Object> back) {
    Completions.decide(this, completions -> {
      for (Object item : back) {
        Entry entry = joinable ? ledger.takeBack(session, item, e -> e.item) : unlease(session, item);
        if (entry != null) { // else no longer the session's: it ended, and the item is back already
          insertInOrder(entry);
        }
      }
      dispatch(completions);
    });
  }

  /** Puts a returned entry back where its age puts it: before every entry that came in later. */
  private void insertInOrder(Entry entry) {
    ArrayDeque<Entry> older = new ArrayDeque<>();
    while (!items.isEmpty() && items.peekFirst().seq < entry.seq) {
      older.addFirst(items.pollFirst());
    }
    items.addFirst(entry);
    while (!older.isEmpty()) {
      items.addFirst(older.pollFirst());
    }
  }

  private Entry unlease(long session, Object item) {
    ArrayDeque<Entry> lease = leases.get(session);
    if (lease == null) {
      return null;
    }
    for (Iterator<Entry> it = lease.descendingIterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (entry.item.equals(item)) {
        it.remove();
        if (lease.isEmpty()) {
          leases.remove(session);
        }
        return entry;
      }
    }
    return null;
  }

  /**
   * A take granted to {@code session} could not be delivered (for example its reply failed): the
   * item goes back to the front. On a joinable queue it leaves the session's taken items; if the
   * session no longer has it outstanding (it ended, so the item is already back, or it was marked
   * done), nothing changes.
   */
  public void giveBack(long session, Object item) {
    Objects.requireNonNull(item, "item");
    Completions.decide(this, completions -> {
      Entry entry = joinable ? ledger.takeBack(session, item, e -> e.item) : new Entry(item);
      if (entry != null) {
        items.addFirst(entry);
        dispatch(completions);
      }
    });
  }

  /** The head item, not taken; empty when the queue is empty. */
  public synchronized Optional<Object> peek() {
    Entry head = items.peekFirst();
    return head == null ? Optional.empty() : Optional.of(head.item);
  }

  /** Items in the queue now (not counting waiting puts or items taken). */
  public synchronized int size() {
    return items.size();
  }

  /** Free places, or {@link Integer#MAX_VALUE} when unbounded. */
  public synchronized int remainingCapacity() {
    return maxsize == 0 ? Integer.MAX_VALUE : Math.max(0, maxsize - items.size());
  }

  /** Whether a put would wait now (never on an unbounded queue). */
  public synchronized boolean isFull() {
    return !hasSpace();
  }

  /** The items, head first (a copy). */
  public synchronized List<Object> snapshot() {
    List<Object> copy = new ArrayList<>(items.size());
    for (Entry entry : items) {
      copy.add(entry.item);
    }
    return Collections.unmodifiableList(copy);
  }

  /**
   * Joinable only: marks done the oldest item {@code session} took, or if it has none, the oldest
   * item any other session took. Throws {@link IllegalStateException} when nobody has a taken item
   * outstanding (Python's ValueError).
   */
  public void taskDone(long session) {
    requireJoinable();
    Completions.decide(this, completions -> {
      if (!ledger.markDone(session)) {
        throw new IllegalStateException("taskDone() called more times than there were items");
      }
      ledger.releaseJoins(completions);
    });
  }

  /** Joinable only: completes when no item is unfinished (at once if none is). */
  public CompletableFuture<Void> join() {
    return join(NO_SESSION, new CompletableFuture<>());
  }

  /** {@link #join()} for a session: cancelled when that session ends. */
  public CompletableFuture<Void> join(long session) {
    return join(session, new CompletableFuture<>());
  }

  /** {@link #join(long)} completing the caller's {@code future}; returns it. */
  public CompletableFuture<Void> join(long session, CompletableFuture<Void> future) {
    requireJoinable();
    return ledger.join(session, future);
  }

  /** Joinable only: items put and not yet marked done. */
  public synchronized int unfinished() {
    requireJoinable();
    return ledger.unfinished();
  }

  /** Blocked puts, takes and joins. */
  public synchronized int waiters() {
    return putWaiters.size() + takeWaiters.size() + (joinable ? ledger.joinWaiters() : 0);
  }

  /**
   * The session's pending puts, takes and joins are cancelled; on a joinable queue the items it
   * took and did not mark done go back to the front in their original order (still unfinished).
   */
  @Override
  public void sessionEnded(long session) {
    Completions.decide(this, completions -> {
      putWaiters.cancelSession(session, completions);
      takeWaiters.cancelSession(session, completions);
      if (joinable) {
        ledger.cancelJoins(session, completions);
        List<Entry> back = ledger.returnAll(session);
        for (int i = back.size() - 1; i >= 0; i--) {
          items.addFirst(back.get(i));
        }
      } else {
        ArrayDeque<Entry> lease = leases.remove(session);
        while (lease != null && !lease.isEmpty()) {
          items.addFirst(lease.pollLast());
        }
      }
      dispatch(completions);
    });
  }

  private boolean hasSpace() {
    return maxsize == 0 || items.size() < maxsize;
  }

  private void requireJoinable() {
    if (!joinable) {
      throw new IllegalStateException("not a joinable queue");
    }
  }

  private void enqueue(Entry entry) {
    entry.seq = nextSeq++;
    items.addLast(entry);
    if (joinable) {
      ledger.added();
    }
  }

  private void grantTake(
      long session, CompletableFuture<Object> future, Entry entry, Completions completions) {
    JoinLedger.Taken<Entry> record = joinable ? ledger.record(session, entry) : null;
    completions.grant(future, entry.item, more -> takeRefused(entry, record, more));
  }

  /** Under the monitor: feeds waiting takes, admits waiting puts, releases joins. */
  private void dispatch(Completions completions) {
    boolean admitted;
    do {
      while (!takeWaiters.isEmpty() && !items.isEmpty()) {
        Waiter<Object> waiter = takeWaiters.poll();
        grantTake(waiter.session, waiter.future, items.pollFirst(), completions);
      }
      admitted = false;
      while (!putWaiters.isEmpty() && hasSpace()) {
        PutWaiter waiter = (PutWaiter) putWaiters.poll();
        enqueue(waiter.entry);
        completions.grant(waiter.future, null, more -> putRefused(waiter.entry, more));
        admitted = true;
      }
    } while (admitted && !takeWaiters.isEmpty());
    if (joinable) {
      ledger.releaseJoins(completions);
    }
  }

  /** A taker cancelled after being granted {@code entry}: it goes back to the front. */
  private synchronized void takeRefused(
      Entry entry, JoinLedger.Taken<Entry> record, Completions more) {
    if (record != null && !ledger.refused(record)) {
      return; // its session ended: already back in the queue
    }
    items.addFirst(entry);
    dispatch(more);
  }

  /** A putter cancelled after being admitted: withdraw the item unless it was already taken. */
  private synchronized void putRefused(Entry entry, Completions more) {
    if (items.removeLastOccurrence(entry)) {
      if (joinable) {
        ledger.withdrawn();
      }
      dispatch(more);
    }
  }

  /**
   * For status reports: the items, the blocked calls, and per session the items it took and did
   * not mark done (joinable) or read ahead and did not hand out (plain).
   */
  public synchronized Summary summary() {
    Map<Long, Long> holders = new HashMap<>();
    if (joinable) {
      ledger.outstanding().forEach((session, n) -> holders.put(session, (long) n));
    } else {
      leases.forEach((session, lease) -> holders.put(session, (long) lease.size()));
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("put_waiters", (long) putWaiters.size());
    counts.put("take_waiters", (long) takeWaiters.size());
    if (joinable) {
      counts.put("unfinished", (long) ledger.unfinished());
      counts.put("join_waiters", (long) ledger.joinWaiters());
    }
    return new Summary(items.size(), waiters(), holders, counts);
  }
}

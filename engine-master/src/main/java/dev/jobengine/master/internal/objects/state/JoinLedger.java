package dev.jobengine.master.internal.objects.state;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A joinable queue's bookkeeping: the unfinished count (items put and not yet marked done), the
 * items each session took and has not marked done (per session and overall, in taking order), and
 * the blocked joins. Not thread-safe: guarded by the owning {@link QueueState}'s monitor.
 *
 * <p>Invariant: unfinished = items in the queue + outstanding taken records.
 *
 * @param <E> the queue's entry type (compared by identity)
 */
final class JoinLedger<E> {
  /** What became of a taken record. */
  enum State {
    /** Taken and not yet marked done. */
    OUTSTANDING,
    /** Marked done by {@link #markDone}. */
    DONE,
    /** Handed back to the queue by {@link #returnAll}. */
    RETURNED
  }

  /** One item taken by one session (identity semantics). */
  static final class Taken<E> {
    final long session;
    final E entry;
    State state = State.OUTSTANDING;

    private Taken(long session, E entry) {
      this.session = session;
      this.entry = entry;
    }
  }

  private final Map<Long, ArrayDeque<Taken<E>>> bySession = new HashMap<>();
  private final LinkedHashSet<Taken<E>> inOrder = new LinkedHashSet<>();
  private final WaitQueue<Void> joins;
  private int unfinished;

  /** Bookkeeping guarded by {@code monitor}, the owning queue. */
  JoinLedger(Object monitor) {
    this.joins = new WaitQueue<>(monitor);
  }

  /** An item entered the queue. */
  void added() {
    unfinished++;
  }

  /** An item left the queue without being taken (a refused put withdrawn). */
  void withdrawn() {
    unfinished--;
  }

  int unfinished() {
    return unfinished;
  }

  /** Records that {@code session} took {@code entry}; it is now its newest outstanding item. */
  Taken<E> record(long session, E entry) {
    Taken<E> taken = new Taken<>(session, entry);
    bySession.computeIfAbsent(session, s -> new ArrayDeque<>()).addLast(taken);
    inOrder.add(taken);
    return taken;
  }

  /**
   * Marks done the session's oldest outstanding item or, if it has none, the oldest outstanding
   * item of any session. Returns false when nobody has an outstanding item.
   */
  boolean markDone(long session) {
    ArrayDeque<Taken<E>> own = bySession.get(session);
    if (own == null && inOrder.isEmpty()) {
      return false;
    }
    Taken<E> taken = own != null ? own.peekFirst() : inOrder.iterator().next();
    remove(taken);
    taken.state = State.DONE;
    unfinished--;
    return true;
  }

  /**
   * A take was refused (the taker cancelled in time): withdraws its record. Returns whether the
   * entry must go back into the queue (not if its session's {@link #returnAll} already put it
   * back; the caller then does nothing).
   *
   * <p>If a taskDone() already marked the record done (the session called it for an item it did
   * receive, and the undelivered record happened to be its oldest), the item is unfinished again
   * and the mark moves to the session's oldest remaining item; if it has none, the mark is lost,
   * which only means one more taskDone() is needed for join().
   */
  boolean refused(Taken<E> taken) {
    switch (taken.state) {
      case OUTSTANDING:
        remove(taken);
        return true;
      case DONE:
        unfinished++;
        ArrayDeque<Taken<E>> own = bySession.get(taken.session);
        if (own != null) {
          Taken<E> next = own.peekFirst();
          remove(next);
          next.state = State.DONE;
          unfinished--;
        }
        return true;
      default:
        return false;
    }
  }

  /**
   * Removes the session's outstanding records, marks them {@link State#RETURNED} and returns
   * their entries in taking order; they stay unfinished.
   */
  List<E> returnAll(long session) {
    ArrayDeque<Taken<E>> own = bySession.remove(session);
    List<E> entries = new ArrayList<>();
    if (own != null) {
      for (Taken<E> taken : own) {
        inOrder.remove(taken);
        taken.state = State.RETURNED;
        entries.add(taken.entry);
      }
    }
    return entries;
  }

  /**
   * Withdraws the newest outstanding record of {@code session} whose item is {@code item} (the
   * same object, else an equal one) and returns its entry; null if there is none.
   */
  E takeBack(long session, Object item, Function<E, Object> itemOf) {
    ArrayDeque<Taken<E>> own = bySession.get(session);
    if (own == null) {
      return null;
    }
    for (int pass = 0; pass < 2; pass++) {
      for (Iterator<Taken<E>> it = own.descendingIterator(); it.hasNext(); ) {
        Taken<E> taken = it.next();
        Object candidate = itemOf.apply(taken.entry);
        if (pass == 0 ? candidate == item : candidate.equals(item)) {
          remove(taken);
          taken.state = State.RETURNED;
          return taken.entry;
        }
      }
    }
    return null;
  }

  /** A join of {@code session}: granted at once if nothing is unfinished, else queued. Takes the monitor. */
  CompletableFuture<Void> join(long session, CompletableFuture<Void> future) {
    return joins.await(session, future, completions -> {
      if (unfinished > 0) {
        return false;
      }
      completions.grant(future, null, null);
      return true;
    });
  }

  /** Grants the blocked joins if nothing is unfinished. */
  void releaseJoins(Completions completions) {
    if (unfinished == 0) {
      joins.grantAll(null, completions);
    }
  }

  void cancelJoins(long session, Completions completions) {
    joins.cancelSession(session, completions);
  }

  int joinWaiters() {
    return joins.size();
  }

  private void remove(Taken<E> taken) {
    inOrder.remove(taken);
    ArrayDeque<Taken<E>> own = bySession.get(taken.session);
    for (Iterator<Taken<E>> it = own.iterator(); it.hasNext(); ) {
      if (it.next() == taken) {
        it.remove();
        break;
      }
    }
    if (own.isEmpty()) {
      bySession.remove(taken.session);
    }
  }

  /** Per session, how many items it took and has not marked done. */
  Map<Long, Integer> outstanding() {
    Map<Long, Integer> out = new HashMap<>();
    bySession.forEach((session, taken) -> out.put(session, taken.size()));
    return out;
  }
}

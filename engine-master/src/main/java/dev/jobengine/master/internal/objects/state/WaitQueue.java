package dev.jobengine.master.internal.objects.state;

import java.util.ArrayDeque;
import java.util.Iterator;
import dev.jobengine.master.internal.metrics.Recorder;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The blocked callers of one state object, first come first served: what every state with
 * waiters repeats. Guarded by the owning state's monitor (every method but {@link #await} is
 * called under it); completions are decided under the monitor and run after it (see {@link
 * Completions}).
 *
 * <p>A waiter whose future completes while it is still queued (its caller cancelled it: a timeout,
 * an interrupt) leaves the queue: {@link #await} arranges that once the monitor is released.
 */
final class WaitQueue<T> implements Iterable<Waiter<T>> {
  private final Object monitor;
  private final ArrayDeque<Waiter<T>> waiters = new ArrayDeque<>();
  private volatile Recorder waits; // null: waits are not measured

  /** Waiters guarded by {@code monitor}, the owning state. */
  WaitQueue(Object monitor) {
    this.monitor = monitor;
  }

  /** Whether a blocking call is granted at once; decided under the monitor. */
  @FunctionalInterface
  interface Grant {
    /** Schedules the grant and returns true, or returns false: the caller waits. */
    boolean now(Completions completions);
  }

  /**
   * The skeleton of every blocking call: under the monitor, {@code grant} grants the call at once,
   * or the caller is queued; then the completions run without the monitor, and a queued caller is
   * watched for cancellation. A future already done is left alone. Returns the future.
   */
  CompletableFuture<T> await(long session, CompletableFuture<T> future, Grant grant) {
    return await(new Waiter<>(session, future), grant, null);
  }

  /**
   * {@link #await(long, CompletableFuture, Grant)} with a waiter that may carry more (a put's
   * item), and {@code onAbandoned} (may be null) deciding, under the monitor, what a cancelled
   * wait changes (a barrier breaks, say).
   */
  CompletableFuture<T> await(Waiter<T> waiter, Grant grant, BiConsumer<Waiter<T>, Completions> onAbandoned) {
    if (waiter.future.isDone()) {
      return waiter.future;
    }
    Completions completions = new Completions();
    boolean queued = false;
    synchronized (monitor) {
      if (!grant.now(completions)) {
        if (waits != null) {
          waiter.queuedAt = System.nanoTime();
        }
        waiters.addLast(waiter);
        queued = true;
      }
    }
    completions.run(monitor);
    if (queued) {
      watch(waiter, onAbandoned);
    }
    return waiter.future;
  }

  /**
   * Without the monitor: a waiter cancelled while queued leaves the queue, and then {@code
   * onAbandoned} (if any) runs under the monitor, deciding further completions (a barrier breaks,
   * say).
   */
  private void watch(Waiter<T> waiter, BiConsumer<Waiter<T>, Completions> onAbandoned) {
    waiter.future.whenComplete((value, failure) -> {
      if (!waiter.queued) {
        return;
      }
      Completions completions = new Completions();
      synchronized (monitor) {
        if (!waiter.queued) {
          return;
        }
        waiter.queued = false;
        waiters.remove(waiter);
        if (onAbandoned != null) {
          onAbandoned.accept(waiter, completions);
        }
      }
      completions.run(monitor);
    });
  }

  /** Measures, with {@code recorder} too, how long the waiters granted from now on waited. */
  synchronized void measureWaits(Recorder recorder) {
    waits = Recorder.append(waits, recorder);
  }

  /**
   * The first waiter, dequeued to be granted; null if none. How long it waited is recorded, if
   * waits are measured, after the monitor is released.
   */
  Waiter<T> pollToGrant(Completions completions) {
    Waiter<T> w = poll();
    Recorder r = waits;
    if (w != null && r != null && w.queuedAt != 0) {
      long waited = System.nanoTime() - w.queuedAt;
      completions.afterwards(() -> r.record(waited));
    }
    return w;
  }

  /** The first waiter, dequeued; null if none. */
  Waiter<T> poll() {
    Waiter<T> w = waiters.pollFirst();
    if (w != null) {
      w.queued = false;
    }
    return w;
  }

  boolean isEmpty() {
    return waiters.isEmpty();
  }

  int size() {
    return waiters.size();
  }

  /** Dequeues every waiter and completes it with {@code value}. */
  void grantAll(T value, Completions completions) {
    Waiter<T> w;
    while ((w = poll()) != null) {
      completions.grant(w.future, value, null);
    }
  }

  /** Dequeues every waiter and fails it with a fresh exception from {@code failure}. */
  void failAll(Supplier<? extends Throwable> failure, Completions completions) {
    Waiter<T> w;
    while ((w = poll()) != null) {
      completions.fail(w.future, failure.get());
    }
  }

  /** Dequeues the session's waiters and cancels them (the session is gone). */
  void cancelSession(long session, Completions completions) {
    for (Iterator<Waiter<T>> it = waiters.iterator(); it.hasNext(); ) {
      Waiter<T> w = it.next();
      if (w.session == session) {
        it.remove();
        w.queued = false;
        completions.cancel(w.future);
      }
    }
  }

  /** The queued waiters, first first; removing through the iterator dequeues. */
  @Override
  public Iterator<Waiter<T>> iterator() {
    Iterator<Waiter<T>> it = waiters.iterator();
    return new Iterator<>() {
      private Waiter<T> last;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Waiter<T> next() {
        last = it.next();
        return last;
      }

      @Override
      public void remove() {
        it.remove();
        last.queued = false;
      }
    };
  }
}

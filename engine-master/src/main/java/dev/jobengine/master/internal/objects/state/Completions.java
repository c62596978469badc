package dev.jobengine.master.internal.objects.state;

import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;

/**
 * Future completions decided under a state's monitor and run after it is released, so that
 * dependent stages never run under the monitor. A grant whose future the caller already cancelled
 * (complete returns false) is refused: its {@link Refusal} gives the grant back, taking the
 * monitor itself, and may add further completions to this batch, which run in the same {@link
 * #run}. Not thread-safe: one batch belongs to one call.
 */
final class Completions {
  /** Gives a refused grant back. Runs without the monitor held; must take it itself. */
  @FunctionalInterface
  interface Refusal {
    void refused(Completions more);
  }

  /** What a state decides under its monitor: the completions it schedules. */
  @FunctionalInterface
  interface Decision {
    void decide(Completions completions);
  }

  /** Runs {@code decision} under {@code monitor}, then the completions it scheduled without it. */
  static void decide(Object monitor, Decision decision) {
    Completions completions = new Completions();
    synchronized (monitor) {
      decision.decide(completions);
    }
    completions.run(monitor);
  }

  @FunctionalInterface
  private interface Action {
    void run(Completions self);
  }

  private final ArrayList<Action> actions = new ArrayList<>();

  /** Completes {@code future} with {@code value}; runs {@code onRefused} (if any) if it cannot. */
  <T> void grant(CompletableFuture<T> future, T value, Refusal onRefused) {
    actions.add(
        self -> {
          if (!future.complete(value) && onRefused != null) {
            onRefused.refused(self);
          }
        });
  }

  /** Completes {@code future} exceptionally; nothing to give back if it was already done. */
  void fail(CompletableFuture<?> future, Throwable cause) {
    actions.add(self -> future.completeExceptionally(cause));
  }

  /** Runs {@code action} with the others, after the monitor is released. */
  void afterwards(Runnable action) {
    actions.add(self -> action.run());
  }

  /** Cancels {@code future}. */
  void cancel(CompletableFuture<?> future) {
    actions.add(self -> future.cancel(false));
  }

  /**
   * Runs every completion, including those added by refusals while running. Must be called
   * without {@code monitor} held (checked with assertions on). A refusal that throws does not stop
   * the others; the first exception is rethrown at the end.
   */
  void run(Object monitor) {
    assert !Thread.holdsLock(monitor) : "completions must run after the monitor is released";
    RuntimeException first = null;
    for (int i = 0; i < actions.size(); i++) {
      try {
        actions.get(i).run(this);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    actions.clear();
    if (first != null) {
      throw first;
    }
  }
}

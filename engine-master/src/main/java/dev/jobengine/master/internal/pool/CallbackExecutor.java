package dev.jobengine.master.internal.pool;

import dev.jobengine.core.NamedThreadFactory;
import dev.jobengine.core.Report;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool's own callback thread: runs callbacks one at a time, in the order they were queued
 * (completion order). A callback that throws is logged and the thread goes on. After {@link
 * #shutdown()} queued work still runs; work queued later runs on the caller's thread.
 */
final class CallbackExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(CallbackExecutor.class);

  private final ThreadPoolExecutor executor;

  /** The thread callbacks run on, once it exists. */
  private volatile Thread thread;

  CallbackExecutor(String name) {
    NamedThreadFactory threads = new NamedThreadFactory(name, true);
    this.executor =
        new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
          Thread t = threads.newThread(r);
          thread = t;
          return t;
        });
  }

  /**
   * Throws IllegalStateException on the callback thread itself: waiting there for a result
   * would wait for good (results with callbacks complete on this thread, after them).
   */
  void checkNotWaitingOnItself(String what) {
    if (Thread.currentThread() == thread) {
      throw new IllegalStateException(what + " on the pool's callback thread (" + thread.getName() + ") would wait for "
          + "good: results complete on this thread, after their callbacks. In a callback, chain work with "
          + "toCompletableFuture().thenAccept(...) instead of waiting, or wait on another thread");
    }
  }

  @Override
  public void execute(Runnable command) {
    Runnable isolated =
        () -> {
          try {
            command.run();
          } catch (Throwable t) {
            Report.warn(log, "a callback threw; the pool goes on", t);
          }
        };
    try {
      executor.execute(isolated);
    } catch (RejectedExecutionException shutDown) {
      isolated.run();
    }
  }

  void shutdown() {
    executor.shutdown();
  }

  boolean awaitTermination(Duration timeout) throws InterruptedException {
    return executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }
}

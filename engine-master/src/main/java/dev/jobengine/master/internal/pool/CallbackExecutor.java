package dev.jobengine.master.internal.pool;

import dev.jobengine.core.NamedThreadFactory;
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

  CallbackExecutor(String name) {
    this.executor =
        new ThreadPoolExecutor(
            1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), new NamedThreadFactory(name, true));
  }

  @Override
  public void execute(Runnable command) {
    Runnable isolated =
        () -> {
          try {
            command.run();
          } catch (Throwable t) {
            log.warn("a callback threw; the pool goes on", t);
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

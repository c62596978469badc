package dev.jobengine.master.internal.pool;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallbackExecutorTest {
  private final CallbackExecutor callbacks = new CallbackExecutor("test-callbacks");

  @AfterEach
  void stop() throws InterruptedException {
    callbacks.shutdown();
    assertThat(callbacks.awaitTermination(Duration.ofSeconds(10))).isTrue();
  }

  private static String thread() {
    return Thread.currentThread().getName();
  }

  /** Queues a marker, waits until it ran, and returns the name of the thread that ran it. */
  private String flush() throws Exception {
    CompletableFuture<String> ran = new CompletableFuture<>();
    callbacks.execute(() -> ran.complete(thread()));
    return ran.get(10, SECONDS);
  }

  @Test
  void aCallbackThatThrowsIsLoggedAndLaterCallbacksStillRun() throws Exception {
    callbacks.execute(() -> {
      throw new IllegalStateException("callback failure (expected by the test)");
    });
    callbacks.execute(() -> {
      throw new AssertionError("callback error (expected by the test)");
    });
    assertThat(flush()).startsWith("test-callbacks-");
  }

  @Test
  void runsCallbacksOneAtATimeOnOneThreadInSubmissionOrder() throws Exception {
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    Set<String> threads = ConcurrentHashMap.newKeySet();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    for (int i = 0; i < 200; i++) {
      int n = i;
      callbacks.execute(() -> {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        order.add(n);
        threads.add(thread());
        running.decrementAndGet();
      });
    }
    String flushedOn = flush();

    assertThat(order).containsExactlyElementsOf(IntStream.range(0, 200).boxed().toList());
    assertThat(threads).containsExactly(flushedOn);
    assertThat(maxRunning).hasValue(1);
  }

  @Test
  void afterShutdownQueuedWorkStillRunsAndLaterWorkRunsOnTheCaller() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> queued = new CompletableFuture<>();
    callbacks.execute(() -> awaitQuietly(release));
    callbacks.execute(() -> queued.complete(thread()));
    callbacks.shutdown();
    release.countDown();
    assertThat(queued.get(10, SECONDS)).startsWith("test-callbacks-");

    List<String> late = new ArrayList<>();
    callbacks.execute(() -> late.add(thread()));
    assertThat(late).containsExactly(thread());
    assertThatCode(() -> callbacks.execute(() -> {
      throw new IllegalStateException("callback failure (expected by the test)");
    })).doesNotThrowAnyException();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

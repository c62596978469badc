package dev.jobengine.master.internal.pool;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.RemoteTaskException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AsyncResultImplTest {
  private final CallbackExecutor callbacks = new CallbackExecutor("test-callbacks");
  private final AsyncResultImpl<String> result = new AsyncResultImpl<>(callbacks);
  private final RemoteTaskException boom =
      new RemoteTaskException("com.example.Boom", "boom", "stack", null);

  @AfterEach
  void stop() throws InterruptedException {
    callbacks.shutdown();
    assertThat(callbacks.awaitTermination(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void successfulThrowsUntilReady() throws Exception {
    assertThat(result.ready()).isFalse();
    assertThat(result.await(Duration.ofMillis(10))).isFalse();
    assertThatThrownBy(result::successful).isInstanceOf(IllegalStateException.class);

    assertThat(result.complete("ok")).isTrue();
    assertThat(result.ready()).isTrue();
    assertThat(result.successful()).isTrue();
    assertThat(result.await(Duration.ZERO)).isTrue();
    assertThat(result.get(10, SECONDS)).isEqualTo("ok");
  }

  @Test
  void aFailedResultIsReadyButNotSuccessful() throws Exception {
    assertThat(result.fail(boom)).isTrue();
    assertThat(result.ready()).isTrue();
    assertThat(result.successful()).isFalse();
    assertThat(result.await(Duration.ZERO)).isTrue();
    assertThatThrownBy(() -> result.get(10, SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isSameAs(boom);
  }

  @Test
  void cancelReturnsFalseWhenTheWorkCannotBeWithdrawn() throws Exception {
    result.onCancel(mayInterrupt -> false);
    assertThat(result.cancel(true)).isFalse();
    assertThat(result.isCancelled()).isFalse();
    assertThat(result.isDone()).isFalse();

    result.complete("ran anyway");
    assertThat(result.get(10, SECONDS)).isEqualTo("ran anyway");
  }

  @Test
  void cancelReturnsTrueWhenTheWorkWasWithdrawn() {
    AtomicInteger asked = new AtomicInteger();
    result.onCancel(mayInterrupt -> asked.incrementAndGet() > 0);

    assertThat(result.cancel(false)).isTrue();
    assertThat(result.isCancelled()).isTrue();
    assertThat(result.ready()).isTrue();
    assertThat(result.successful()).isFalse();
    assertThatThrownBy(() -> result.get(10, SECONDS)).isInstanceOf(CancellationException.class);
    assertThat(result.complete("too late")).isFalse();
    assertThat(result.cancel(false)).as("cancel once done").isFalse();
    assertThat(asked).hasValue(1);
  }

  @Test
  void cancelOfACompletedResultDoesNotAskTheCanceller() {
    AtomicInteger asked = new AtomicInteger();
    result.onCancel(mayInterrupt -> asked.incrementAndGet() > 0);
    result.complete("done");
    assertThat(result.cancel(true)).isFalse();
    assertThat(result.isCancelled()).isFalse();
    assertThat(asked).hasValue(0);
  }

  @Test
  void completableFutureDependentsRunOnTheCallbackThread() throws Exception {
    CompletableFuture<String> dependent =
        result.toCompletableFuture().thenApply(v -> v + "@" + Thread.currentThread().getName());
    result.complete("v");
    assertThat(dependent.get(10, SECONDS)).startsWith("v@test-callbacks-");
  }

  @Test
  void completableFutureViewCarriesTheFailure() {
    CompletableFuture<String> view = result.toCompletableFuture();
    result.fail(boom);
    assertThatThrownBy(() -> view.get(10, SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isSameAs(boom);
  }
}

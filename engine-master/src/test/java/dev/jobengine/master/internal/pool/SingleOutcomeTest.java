package dev.jobengine.master.internal.pool;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.jobengine.Callback;
import dev.jobengine.JavaSerializationCodec;
import dev.jobengine.RemoteTaskException;
import dev.jobengine.TaskSerializationException;
import dev.jobengine.core.wire.Payloads;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SingleOutcomeTest {
  /** What a callback saw: its argument, its thread, and whether the result was already done. */
  record Call(Object value, String thread, boolean resultDone) {}

  private final CallbackExecutor callbacks = new CallbackExecutor("test-callbacks");
  private final Payloads payloads = new Payloads(new JavaSerializationCodec(), 1 << 20);
  private final AsyncResultImpl<String> result = new AsyncResultImpl<>(callbacks);
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Callback<Object> recording = v -> calls.add(new Call(v, thread(), result.isDone()));
  private final RemoteTaskException boom =
      new RemoteTaskException("com.example.Boom", "boom", "stack", null);

  @AfterEach
  void stop() throws InterruptedException {
    callbacks.shutdown();
    assertThat(callbacks.awaitTermination(Duration.ofSeconds(10))).isTrue();
  }

  private SingleOutcome<String> outcome(Callback<Object> callback, Callback<Object> errorCallback) {
    return new SingleOutcome<>(result, callback, errorCallback, callbacks, payloads);
  }

  private ByteString encoded(Object value) {
    return payloads.encode(value, "x");
  }

  private static String thread() {
    return Thread.currentThread().getName();
  }

  private Throwable failure() throws Exception {
    try {
      result.get(10, SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the result did not fail");
  }

  @Test
  void withoutCallbacksTheResultIsDoneAtOnceAndDecodedByItsReader() throws Exception {
    List<String> decodedOn = new CopyOnWriteArrayList<>();
    Payloads watched = new Payloads(new JavaSerializationCodec() {
      @Override
      public Object decode(InputStream in, ObjectInputFilter filter) throws IOException, ClassNotFoundException {
        decodedOn.add(thread());
        return super.decode(in, filter);
      }
    }, 1 << 20);
    SingleOutcome<String> o = new SingleOutcome<>(result, null, null, callbacks, watched);
    Thread transport = new Thread(() -> o.succeeded(encoded("hello")), "transport");
    transport.start();
    transport.join(10_000);

    assertThat(result.isDone()).isTrue();
    assertThat(decodedOn).as("nothing decoded on the delivering thread").isEmpty();
    assertThat(result.get(0, SECONDS)).isEqualTo("hello");
    assertThat(result.get(0, SECONDS)).isEqualTo("hello");
    assertThat(decodedOn).as("decoded once, by the reader").containsExactly(thread());
  }

  @Test
  void anUndecodableResultWithoutCallbacksFailsItsReader() throws Exception {
    outcome(null, null).succeeded(ByteString.copyFromUtf8("not a serialized value"));
    assertThat(result.ready()).isTrue();
    assertThat(result.successful()).isFalse();
    assertThat(failure()).isInstanceOf(TaskSerializationException.class).hasMessageContaining("result");
  }

  @Test
  void withACallbackTheResultIsDoneOnlyAfterTheCallbackRan() throws Exception {
    outcome(recording, null).succeeded(encoded("hello"));

    assertThat(result.get(10, SECONDS)).isEqualTo("hello");
    assertThat(calls).singleElement().satisfies(call -> {
      assertThat(call.value()).isEqualTo("hello");
      assertThat(call.thread()).startsWith("test-callbacks-");
      assertThat(call.resultDone()).isFalse();
    });
  }

  @Test
  void aCallbackThatThrowsStillCompletesTheResult() throws Exception {
    outcome(v -> {
      throw new IllegalStateException("callback failure (expected by the test)");
    }, null).succeeded(encoded("hello"));
    assertThat(result.get(10, SECONDS)).isEqualTo("hello");
  }

  @Test
  void failedWithAnErrorCallbackCallsItThenFailsTheResult() throws Exception {
    outcome(null, recording).failed(() -> boom);

    assertThat(failure()).isSameAs(boom);
    assertThat(calls).singleElement().satisfies(call -> {
      assertThat(call.value()).isSameAs(boom);
      assertThat(call.thread()).startsWith("test-callbacks-");
      assertThat(call.resultDone()).isFalse();
    });
  }

  @Test
  void failedWithoutAnErrorCallbackFailsAtOnceAndSkipsTheCallback() throws Exception {
    outcome(recording, null).failed(() -> boom);

    assertThat(result.isDone()).isTrue();
    assertThat(failure()).isSameAs(boom);
    assertThat(calls).isEmpty();
  }

  @Test
  void anUndecodableResultGoesToTheErrorCallback() throws Exception {
    List<Call> values = new CopyOnWriteArrayList<>();
    outcome(v -> values.add(new Call(v, thread(), false)), recording)
        .succeeded(ByteString.copyFromUtf8("not a serialized value"));

    Throwable failure = failure();
    assertThat(failure).isInstanceOf(TaskSerializationException.class).hasMessageContaining("result");
    assertThat(calls).singleElement().extracting(Call::value).isSameAs(failure);
    assertThat(values).isEmpty();
  }
}

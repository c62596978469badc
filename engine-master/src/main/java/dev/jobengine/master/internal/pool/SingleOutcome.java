package dev.jobengine.master.internal.pool;

import com.google.protobuf.ByteString;
import dev.jobengine.Callback;
import dev.jobengine.JobEngineException;
import dev.jobengine.core.Report;
import dev.jobengine.core.wire.Payloads;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes an {@code applyAsync} result. Without callbacks the result completes at once, and its
 * value is decoded by whoever asks for it first; with them, decoding, the callback and then
 * completion happen on the pool's callback thread, so a caller of {@code get()} sees the
 * callback's effects (as in Python). Nothing is decoded on the transport thread.
 */
final class SingleOutcome<R> implements PendingTask.Outcome {
  private static final Logger log = LoggerFactory.getLogger(SingleOutcome.class);

  private final AsyncResultImpl<R> result;
  private final Callback<? super R> callback;
  private final Callback<? super Throwable> errorCallback;
  private final CallbackExecutor callbacks;
  private final Payloads payloads;

  SingleOutcome(
      AsyncResultImpl<R> result,
      Callback<? super R> callback,
      Callback<? super Throwable> errorCallback,
      CallbackExecutor callbacks,
      Payloads payloads) {
    this.result = result;
    this.callback = callback;
    this.errorCallback = errorCallback;
    this.callbacks = callbacks;
    this.payloads = payloads;
  }

  @Override
  public void succeeded(ByteString value) {
    if (callback == null && errorCallback == null) {
      result.completeLazily(() -> decode(value));
    } else {
      callbacks.execute(() -> deliver(value));
    }
  }

  @Override
  public void failed(Supplier<? extends JobEngineException> failure) {
    if (errorCallback == null) {
      result.failLazily(failure);
    } else {
      callbacks.execute(() -> deliverFailure(failure.get()));
    }
  }

  @SuppressWarnings("unchecked")
  private R decode(ByteString bytes) {
    return (R) payloads.decode(bytes, "result");
  }

  private void deliver(ByteString bytes) {
    R value;
    try {
      value = decode(bytes);
    } catch (JobEngineException e) {
      deliverFailure(e);
      return;
    }
    if (callback != null) {
      try {
        callback.accept(value);
      } catch (Throwable t) {
        Report.warn(log, "a result callback threw; the pool goes on", t);
      }
    }
    result.complete(value);
  }

  private void deliverFailure(JobEngineException failure) {
    if (errorCallback != null) {
      try {
        errorCallback.accept(failure);
      } catch (Throwable t) {
        Report.warn(log, "an error callback threw; the pool goes on", t);
      }
    }
    result.fail(failure);
  }
}

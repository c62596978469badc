package dev.jobengine.master.internal.pool;

import com.google.protobuf.ByteString;
import dev.jobengine.JobEngineException;
import java.util.function.Supplier;

/** An encoded task waiting for, or running in, a worker, and where its outcome goes. */
final class PendingTask implements Scheduler.Work {
  /**
   * Receives a task's outcome, once, on a transport or process-exit thread: it must neither block
   * nor decode there (decoding may run the application's code).
   */
  interface Outcome {
    void succeeded(ByteString value);

    /** {@code failure} makes the exception; it may decode, so call it off the transport thread. */
    void failed(Supplier<? extends JobEngineException> failure);
  }

  private final long id;
  private final ByteString payload;
  private final Outcome outcome;

  PendingTask(long id, ByteString payload, Outcome outcome) {
    this.id = id;
    this.payload = payload;
    this.outcome = outcome;
  }

  @Override
  public long taskId() {
    return id;
  }

  @Override
  public long bytes() {
    return payload.size();
  }

  ByteString payload() {
    return payload;
  }

  Outcome outcome() {
    return outcome;
  }
}

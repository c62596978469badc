package dev.jobengine.master.internal;

import com.google.protobuf.ByteString;
import dev.jobengine.JobEngineException;

/** An encoded task waiting for, or running in, a worker, and where its outcome goes. */
final class PendingTask implements Scheduler.Work {
  /** Receives a task's outcome; called once, on a hub thread. */
  interface Outcome {
    void succeeded(ByteString value);

    void failed(JobEngineException failure);
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

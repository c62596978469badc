package dev.jobengine.worker.internal;

import dev.jobengine.proto.ResultBatch;
import dev.jobengine.proto.TaskResult;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Results on their way to the master. The task thread adds a result and, unless a flush is already
 * pending, asks the I/O thread to flush; the flush sends everything that has gathered by then as
 * one batch (at most {@link #BATCH_BYTES} each). Short tasks so share messages without any result
 * waiting longer than the I/O thread takes to wake.
 */
final class ResultOutbox {
  /** Results beyond this many bytes go in the next batch (a single result may be larger). */
  static final int BATCH_BYTES = 1 << 20;

  private final ConcurrentLinkedQueue<TaskResult> results = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushPending = new AtomicBoolean();
  private final Consumer<ResultBatch> sender;

  ResultOutbox(Consumer<ResultBatch> sender) {
    this.sender = sender;
  }

  void add(TaskResult result, Executor io) {
    results.add(result);
    if (flushPending.compareAndSet(false, true)) {
      io.execute(this::flush);
    }
  }

  /** Sends what has gathered, in batches; safe to call from any thread. */
  synchronized void flush() {
    flushPending.set(false);
    while (!results.isEmpty()) {
      ResultBatch.Builder batch = ResultBatch.newBuilder();
      int bytes = 0;
      TaskResult next;
      while ((next = results.peek()) != null && (batch.getResultsCount() == 0 || bytes + next.getSerializedSize() <= BATCH_BYTES)) {
        results.poll();
        bytes += next.getSerializedSize();
        batch.addResults(next);
      }
      sender.accept(batch.build());
    }
  }
}

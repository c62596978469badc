package dev.jobengine.core.objects;

import com.google.protobuf.ByteString;
import dev.jobengine.core.wire.ObjectErrors;
import dev.jobengine.core.wire.Payloads;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.Invocation.Op;
import dev.jobengine.proto.Reply;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How handles reach the master's objects: directly in the master, over gRPC in a worker. {@code
 * target} names what the invocation is about, for messages only (its {@code toString} is called
 * on failures).
 */
public interface ObjectAccess {
  /**
   * Performs one invocation, waiting (for blocking operations) at most its timeout. Throws
   * InterruptedException if the calling thread is interrupted while waiting; the master then
   * withdraws the wait.
   */
  Reply invoke(Invocation invocation, Object target) throws InterruptedException;

  /**
   * Performs an invocation whose answer the caller does not need, possibly without waiting for
   * it: the master still performs it in order with this process's other invocations. Errors that
   * the master reports later are logged. Here: {@link #invoke}, throwing the error it answers.
   */
  default void send(Invocation invocation, Object target) throws InterruptedException {
    Reply r = invoke(invocation, target);
    if (r.hasError()) {
      throw ObjectErrors.toException(r.getError());
    }
  }

  /**
   * A put into an unbounded queue, which cannot block or fail on the master: sent as {@link #send}
   * sends it, and where puts come faster than the master acknowledges them, several go in one
   * message, in their order and before any later call of this process. Here: {@link #send}.
   */
  default void putUnbounded(HandleCore queue, ByteString item) throws InterruptedException {
    send(Invocation.newBuilder().setOp(Op.PUT).setObject(queue.id()).addValues(item).build(), queue);
  }

  /** Waits until the master has performed everything {@link #send} sent. */
  default void flush() throws InterruptedException {}

  /** This process's read-ahead on a queue, or null where takes go to the queue one by one. */
  default ReadAhead readAhead(HandleCore queue) {
    return null;
  }

  /**
   * The holds this process is known to have on {@code lock}, counted by every handle of it in this
   * process, or null where there is no need to count (in the master, a release costs no round
   * trip). While the count is above zero a release cannot fail, so it need not wait for an answer.
   */
  default AtomicInteger lockHolds(HandleCore lock) {
    return null;
  }

  /**
   * What this process knows of its use of one end of {@code pipe} (see {@link ConnectionHandle}),
   * shared by every handle of that end in this process, or null where nothing need be known (in
   * the master, every call goes straight to the pipe).
   */
  default AtomicInteger pipeEnd(HandleCore pipe, int end) {
    return null;
  }

  /** The engine's codec with its payload limit. */
  Payloads payloads();
}

package dev.jobengine.core.objects;

import com.google.protobuf.ByteString;
import dev.jobengine.Connection;
import dev.jobengine.PipeClosedException;
import dev.jobengine.proto.Invocation.Op;
import dev.jobengine.proto.Reply;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One end of a pipe on the master. What it sends arrives at the other end in order; what the other
 * end sent it receives in order. Any process (or the master) may use either end.
 *
 * <p>An end belongs to the processes that used it (sent, received or polled through it). {@link
 * #close()} ends this process's use of it: later calls from this process fail with {@link
 * IllegalStateException}. Once every process that used an end has closed it or ended (even killed
 * by SIGKILL), the end is closed for good: the other end receives everything sent before, and then
 * {@link PipeClosedException} instead of waiting forever, and nobody can send through it any more.
 * Closing an end this process never used only keeps this process from using it (so Python's
 * habit of closing the child's end in the parent is harmless).
 *
 * <p>Sending through an end whose other end is closed for good fails with {@link
 * PipeClosedException} (Python's broken pipe). From a worker, the first call on an end waits for
 * the master; once the process is known to hold the end, {@link #send} returns without waiting,
 * and the master performs it in order with the process's other calls. A send that then finds the
 * other end closed is dropped, and this process's next send fails, as a socket's next write does
 * after the reader went away.
 */
final class ConnectionHandle<E> implements Connection<E>, Serializable {
  private static final long serialVersionUID = 1L;
  static final int LEFT = 0;
  static final int RIGHT = 1;

  /** {@link ObjectAccess#pipeEnd} states. */
  static final int UNKNOWN = 0;
  static final int HELD = 1;
  static final int CLOSED = 2;
  /** Held, and the other end is known to be closed for good: sends fail. */
  static final int BROKEN = 3;

  private final HandleCore core;
  private final int end;

  ConnectionHandle(HandleCore core, int end) {
    this.core = core;
    this.end = end;
  }

  /** What this process knows of its use of this end, or null in the master (no need to know). */
  private AtomicInteger state() {
    return core.pipeEnd(end);
  }

  private void checkOpen(AtomicInteger state) {
    if (state != null && state.get() == CLOSED) {
      throw new IllegalStateException(this + " was closed by this process");
    }
  }

  private static void held(AtomicInteger state) {
    if (state != null) {
      state.compareAndSet(UNKNOWN, HELD);
    }
  }

  @Override
  public void send(E e) {
    AtomicInteger state = state();
    checkOpen(state);
    if (state != null && state.get() == BROKEN) {
      throw new PipeClosedException("the other end of " + core + " is closed: nothing sent can be received");
    }
    ByteString value = core.encode(e);
    if (state != null && state.get() == HELD) {
      core.sendNow(Op.SEND, end, value);
    } else {
      core.callNow(Op.SEND, end, value);
      held(state);
    }
  }

  @Override
  public E recv() throws InterruptedException {
    AtomicInteger state = state();
    checkOpen(state);
    Reply r = receive(state, HandleCore.FOREVER);
    return core.decode(r.getValues(0));
  }

  /** A receive through the master; the end of the pipe, once seen, makes later sends fail here. */
  private Reply receive(AtomicInteger state, long timeoutNanos) throws InterruptedException {
    Reply r;
    try {
      r = core.call(Op.RECV, timeoutNanos, end);
    } catch (PipeClosedException closed) {
      if (state != null) {
        state.set(BROKEN);
      }
      throw closed;
    }
    held(state);
    return r;
  }

  @Override
  public E recv(Duration timeout) throws InterruptedException, TimeoutException {
    AtomicInteger state = state();
    checkOpen(state);
    Reply r = receive(state, HandleCore.nanos(timeout));
    if (r.getTimedOut()) {
      throw new TimeoutException("nothing arrived at " + this + " within " + timeout);
    }
    return core.decode(r.getValues(0));
  }

  /**
   * Whether {@link #recv()} would return at once: something arrived, or the other end is closed
   * (recv then throws {@link PipeClosedException}, as Python's {@code poll} is true at EOF). Waits
   * at most {@code timeout}; consumes nothing.
   */
  @Override
  public boolean poll(Duration timeout) throws InterruptedException {
    AtomicInteger state = state();
    checkOpen(state);
    Reply r = core.call(Op.POLL_READY, HandleCore.nanos(timeout), end);
    held(state);
    return r.getPresent();
  }

  /** Ends this process's use of this end; idempotent. */
  @Override
  public void close() {
    AtomicInteger state = state();
    if (state != null && state.getAndSet(CLOSED) == CLOSED) {
      return;
    }
    core.callNow(Op.CLOSE, end);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConnectionHandle<?> c && c.core.equals(core) && c.end == end;
  }

  @Override
  public int hashCode() {
    return core.hashCode() * 2 + end;
  }

  @Override
  public String toString() {
    return (end == LEFT ? "the left end of " : "the right end of ") + core;
  }
}

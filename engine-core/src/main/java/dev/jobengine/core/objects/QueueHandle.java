package dev.jobengine.core.objects;

import com.google.protobuf.ByteString;
import dev.jobengine.JoinableQueue;
import dev.jobengine.proto.Invocation.Op;
import dev.jobengine.proto.Reply;
import java.io.Serializable;
import java.time.Duration;
import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A queue on the master, as a {@link java.util.concurrent.BlockingQueue}. Every call is one step on
 * the master; blocking calls wait there, holding no master thread. From a worker, a put into an
 * unbounded queue may return before the master has the item, as Python's {@code Queue.put} does:
 * the master takes the process's puts in order, before its later calls, and before its task's
 * result or its exit. A worker's blocking takes read ahead (see {@link ReadAhead}); {@link #size()},
 * {@link #peek()}, {@link #poll()} and {@link #iterator()} count what this process read ahead. {@link
 * #iterator()} walks a snapshot. The joinable methods fail with {@link IllegalStateException} on a plain queue.
 */
public final class QueueHandle<E> extends AbstractQueue<E> implements JoinableQueue<E>, Serializable {
  private static final long serialVersionUID = 1L;

  private final HandleCore core;
  private transient volatile boolean closed;

  QueueHandle(HandleCore core) {
    this.core = core;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(core + " was closed by this handle: no more puts");
    }
  }

  @Override
  public boolean offer(E e) {
    checkOpen();
    if (core.size() == 0) {
      core.putUnboundedNow(core.encode(e)); // unbounded: cannot refuse
      return true;
    }
    return core.callNow(Op.OFFER, 0, core.encode(e)).getPresent();
  }

  @Override
  public void put(E e) throws InterruptedException {
    checkOpen();
    if (core.size() == 0) {
      core.putUnbounded(core.encode(e)); // unbounded: never blocks
      return;
    }
    core.call(Op.PUT, HandleCore.FOREVER, 0, core.encode(e));
  }

  @Override
  public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
    checkOpen();
    return !core.call(Op.PUT, Math.max(0, unit.toNanos(timeout)), 0, core.encode(e)).getTimedOut();
  }

  @Override
  public void putNowait(E e) {
    if (!offer(e)) {
      throw new IllegalStateException(core + " is full");
    }
  }

  /** The next item, waiting at most {@code timeoutNanos} (negative: no limit); null on timeout. */
  private ByteString takeBytes(long timeoutNanos) throws InterruptedException {
    ReadAhead ra = core.readAhead();
    if (ra != null) {
      return ra.take(timeoutNanos);
    }
    Reply r = core.call(Op.TAKE, timeoutNanos, 0);
    return r.getTimedOut() ? null : r.getValues(0);
  }

  @Override
  public E take() throws InterruptedException {
    return core.decode(takeBytes(HandleCore.FOREVER));
  }

  @Override
  public E poll(long timeout, TimeUnit unit) throws InterruptedException {
    ByteString b = takeBytes(Math.max(0, unit.toNanos(timeout)));
    return b == null ? null : core.decode(b);
  }

  @Override
  public E get(Duration timeout) throws InterruptedException, TimeoutException {
    ByteString b = takeBytes(HandleCore.nanos(timeout));
    if (b == null) {
      throw new TimeoutException("nothing arrived in " + core + " within " + timeout);
    }
    return core.decode(b);
  }

  @Override
  public E poll() {
    ReadAhead ra = core.readAhead();
    ByteString b = ra == null ? null : ra.poll();
    if (b == null) {
      Reply r = core.callNow(Op.POLL, 0);
      if (!r.getPresent()) {
        return null;
      }
      b = r.getValues(0);
      if (ra != null) {
        ra.tookFromMaster(1);
      }
    }
    return core.decode(b);
  }

  @Override
  public E getNowait() {
    E e = poll();
    if (e == null) {
      throw new NoSuchElementException(core + " is empty");
    }
    return e;
  }

  @Override
  public E peek() {
    ReadAhead ra = core.readAhead();
    ByteString b = ra == null ? null : ra.peek();
    if (b != null) {
      return core.decode(b);
    }
    Reply r = core.callNow(Op.PEEK, 0);
    return r.getPresent() ? core.decode(r.getValues(0)) : null;
  }

  /** Items in the queue, counting those this process read ahead and has not handed out. */
  @Override
  public int size() {
    ReadAhead ra = core.readAhead();
    return (int) core.callNow(Op.SIZE, 0).getNumber() + (ra == null ? 0 : ra.size());
  }

  @Override
  public int remainingCapacity() {
    return (int) core.callNow(Op.REMAINING, 0).getNumber();
  }

  @Override
  public boolean isFull() {
    return core.callNow(Op.FULL, 0).getPresent();
  }

  @Override
  public int drainTo(Collection<? super E> c) {
    return drainTo(c, Integer.MAX_VALUE);
  }

  @Override
  public int drainTo(Collection<? super E> c, int maxElements) {
    Objects.requireNonNull(c, "c");
    if (c == this) {
      throw new IllegalArgumentException("cannot drain a queue into itself");
    }
    if (maxElements <= 0) {
      return 0;
    }
    ReadAhead ra = core.readAhead();
    List<ByteString> bytes = new ArrayList<>(ra == null ? List.of() : ra.drain(maxElements));
    if (bytes.size() < maxElements) {
      List<ByteString> more = core.callNow(Op.DRAIN, maxElements - bytes.size()).getValuesList();
      if (ra != null) {
        ra.tookFromMaster(more.size());
      }
      bytes.addAll(more);
    }
    List<E> items = core.decodeAll(bytes);
    c.addAll(items);
    return items.size();
  }

  /** A snapshot of the queue's items, oldest first; it does not support remove. */
  @Override
  public Iterator<E> iterator() {
    ReadAhead ra = core.readAhead();
    List<ByteString> bytes = new ArrayList<>(ra == null ? List.of() : ra.snapshot());
    bytes.addAll(core.callNow(Op.SNAPSHOT, 0).getValuesList());
    return Collections.unmodifiableList(core.<E>decodeAll(bytes)).iterator();
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public void taskDone() {
    ReadAhead ra = core.readAhead();
    if (ra == null || !ra.markDoneLocally()) { // else it cannot fail, and the read-ahead reports it
      core.callNow(Op.TASK_DONE, 0);
    }
  }

  @Override
  public void join() throws InterruptedException {
    core.call(Op.JOIN, HandleCore.FOREVER, 0);
  }

  @Override
  public boolean join(Duration timeout) throws InterruptedException {
    return !core.call(Op.JOIN, HandleCore.nanos(timeout), 0).getTimedOut();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QueueHandle<?> q && q.core.equals(core);
  }

  @Override
  public int hashCode() {
    return core.hashCode();
  }

  @Override
  public String toString() {
    return core.toString();
  }
}

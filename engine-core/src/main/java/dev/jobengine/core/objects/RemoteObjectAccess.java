package dev.jobengine.core.objects;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.jobengine.JobEngineException;
import dev.jobengine.core.NamedThreadFactory;
import dev.jobengine.core.wire.ObjectErrors;
import dev.jobengine.core.wire.Payloads;
import dev.jobengine.core.wire.SessionHeader;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.Invocation.Op;
import dev.jobengine.proto.ObjectError;
import dev.jobengine.proto.ObjectsGrpc;
import dev.jobengine.proto.Reply;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's access to the master's objects: one {@code Session} stream per process, tagged with
 * its session, carrying every invocation in program order. The caller of a blocking invocation
 * parks until the answer with its call id arrives ({@code -Djobengine.objectSpinNanos=N} spins
 * that long first; measured on 2 cores it did not pay, since the spinning caller competes with
 * the threads that produce the answer). An interrupt sends a cancel and then
 * takes the master's final answer: timed out (the call throws InterruptedException), or the grant
 * if it came first (the call returns it with the interrupt flag set), so nothing granted is lost.
 *
 * <p>{@link #send} does not wait: the master performs the invocation in order with the process's
 * other invocations, answers it only if it fails (the error is logged), and acknowledges such
 * invocations in bulk. At most {@link #SEND_WINDOW_BYTES} of them are unacknowledged; beyond
 * that {@code send} waits. {@link #flush} waits until the master has performed them all.
 *
 * <p>Puts into unbounded queues ({@link #putUnbounded}) are batched: a put goes at once if no
 * batch of puts is unacknowledged, else it joins the batch waiting to go, which is written when
 * the master acknowledges the one before (it does so at once, see {@code PUT_ALL}), when it
 * reaches {@link #MAX_SEND_BYTES}, when a put into another queue comes, or before any other
 * invocation of this process is written. So the master sees every call of this process in the
 * order it was made, and a busy producer pays one message per round trip instead of one per item.
 * If the connection breaks, the puts not yet written are lost with those written and not yet
 * performed; what the master performed of a process's puts is always a prefix of them, in order.
 */
public final class RemoteObjectAccess implements ObjectAccess {
  private static final Logger log = LoggerFactory.getLogger(RemoteObjectAccess.class);

  /** Bytes of invocations sent without waiting that the master has not yet acknowledged. */
  static final int SEND_WINDOW_BYTES = 4 << 20;
  /** Largest invocation {@link #send} takes; larger ones should be invoked. */
  public static final int MAX_SEND_BYTES = 64 << 10;
  private static final long SPIN_NANOS = Long.getLong("jobengine.objectSpinNanos", 0);
  /** Bytes a PUT_ALL takes beyond its values, at most: call id, op, object and no_reply. */
  private static final int BATCH_HEADER_BYTES = 32;
  private static final boolean BATCH_PUTS = !"false".equals(System.getProperty("jobengine.batchPuts"));

  private final ObjectsGrpc.ObjectsStub stub;
  private final Payloads payloads;
  private final AtomicLong ids = new AtomicLong();
  private final Semaphore window = new Semaphore(SEND_WINDOW_BYTES);
  private final Object streamLock = new Object();
  private static final boolean READ_AHEAD = !"false".equals(System.getProperty("jobengine.readAhead"));
  private final Map<Integer, ReadAhead> readAheads = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> lockHolds = new ConcurrentHashMap<>();
  /** Per pipe end, keyed by twice the pipe's id plus the end. */
  private final Map<Integer, AtomicInteger> pipeEnds = new ConcurrentHashMap<>();
  private volatile ScheduledExecutorService timer;
  /** Whether anything was sent without waiting, or read ahead, since the last {@link #flush}. */
  private volatile boolean unflushed;
  private Stream stream; // guarded by streamLock
  private boolean closed; // guarded by streamLock: no new stream after close()

  public RemoteObjectAccess(Channel channel, long session, Payloads payloads) {
    this.stub = ObjectsGrpc.newStub(ClientInterceptors.intercept(channel, SessionHeader.interceptor(session)));
    this.payloads = payloads;
  }

  /** Where an answer goes: the thread waiting for it. */
  private static final class Slot {
    final Thread waiter;
    volatile Reply reply;

    Slot(Thread waiter) {
      this.waiter = waiter;
    }
  }

  @Override
  public Reply invoke(Invocation inv, Object target) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before " + inv.getOp() + " on " + target);
    }
    reportReadAheads();
    Slot slot = new Slot(Thread.currentThread());
    long id = ids.incrementAndGet();
    Stream s = write(inv.toBuilder().setCallId(id).build(), id, slot, target);
    if (await(slot, true)) {
      return slot.reply;
    }
    s.write(Invocation.newBuilder().setOp(Op.CANCEL).setNumber(id).build(), 0);
    await(slot, false);
    Reply r = slot.reply;
    if (r.getTimedOut() && !r.hasError()) {
      throw new InterruptedException("interrupted during " + inv.getOp() + " on " + target);
    }
    Thread.currentThread().interrupt(); // the grant came first: keep it, and the interrupt
    return r;
  }

  @Override
  public void send(Invocation inv, Object target) throws InterruptedException {
    if (!isReport(inv)) {
      reportReadAheads();
    }
    long id = ids.incrementAndGet();
    Invocation out = inv.toBuilder().setCallId(id).setNoReply(true).build();
    int cost = out.getSerializedSize();
    if (cost > MAX_SEND_BYTES) {
      answerOrThrow(invoke(inv, target));
      return;
    }
    window.acquire(cost);
    unflushed = true;
    Stream s = stream();
    if (!s.write(out, cost)) {
      window.release(cost);
      throw lost(inv, target);
    }
  }

  /** {@inheritDoc} Batched unless {@code -Djobengine.batchPuts=false}. */
  @Override
  public void putUnbounded(HandleCore queue, ByteString item) throws InterruptedException {
    reportReadAheads();
    int valueBytes = CodedOutputStream.computeBytesSize(Invocation.VALUES_FIELD_NUMBER, item);
    int cost = valueBytes + BATCH_HEADER_BYTES;
    if (!BATCH_PUTS || cost > MAX_SEND_BYTES) {
      ObjectAccess.super.putUnbounded(queue, item); // send: invoked when too large
      return;
    }
    window.acquire(cost);
    unflushed = true;
    Stream s = stream();
    int unused = s.put(queue.id(), item, valueBytes, cost);
    if (unused < 0) {
      window.release(cost);
      throw new JobEngineException("PUT on " + queue + " failed: the connection to the master is lost");
    }
    if (unused > 0) {
      window.release(unused);
    }
  }

  /**
   * Read-aheads report hand-outs and taskDones in bulk ({@link ReadAhead}); any other call goes
   * after them, so the master never learns of a later call before of an item handed out earlier.
   */
  private void reportReadAheads() {
    if (readAheads.isEmpty()) {
      return; // a producer's every put comes here
    }
    for (ReadAhead ra : readAheads.values()) {
      ra.report();
    }
  }

  private static boolean isReport(Invocation inv) {
    return inv.getOp() == Op.CONSUMED || inv.getOp() == Op.TASK_DONE;
  }

  private static void answerOrThrow(Reply r) {
    if (r.hasError()) {
      throw ObjectErrors.toException(r.getError());
    }
  }

  /** {@inheritDoc} Off with {@code -Djobengine.readAhead=false}. */
  @Override
  public ReadAhead readAhead(HandleCore queue) {
    if (!READ_AHEAD) {
      return null;
    }
    unflushed = true;
    return readAheads.computeIfAbsent(queue.id(), k -> new ReadAhead(queue, timer()));
  }

  @Override
  public AtomicInteger lockHolds(HandleCore lock) {
    return lockHolds.computeIfAbsent(lock.id(), k -> new AtomicInteger());
  }

  @Override
  public AtomicInteger pipeEnd(HandleCore pipe, int end) {
    return pipeEnds.computeIfAbsent(pipe.id() * 2 + end, k -> new AtomicInteger());
  }

  private ScheduledExecutorService timer() {
    ScheduledExecutorService t = timer;
    if (t == null) {
      synchronized (readAheads) {
        if (timer == null) {
          timer = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("jobengine-read-ahead", true));
        }
        t = timer;
      }
    }
    return t;
  }

  /**
   * Gives back what this process read ahead from queues, then waits until the master has
   * performed everything sent before: a ping's answer comes after all of it. Nothing to do (and
   * no round trip) if nothing was sent or read ahead since the last flush.
   */
  @Override
  public void flush() throws InterruptedException {
    if (!unflushed) {
      return;
    }
    unflushed = false;
    for (ReadAhead ra : readAheads.values()) {
      ra.giveBack();
    }
    answerOrThrow(invoke(Invocation.newBuilder().setOp(Op.PING).build(), "the master"));
  }

  /** Waits for the slot's answer; false if interrupted first (when {@code interruptible}). */
  private static boolean await(Slot slot, boolean interruptible) {
    long spinUntil = System.nanoTime() + SPIN_NANOS;
    while (slot.reply == null && System.nanoTime() < spinUntil) {
      Thread.onSpinWait();
    }
    boolean interrupted = false;
    while (slot.reply == null) {
      LockSupport.park(slot);
      if (Thread.interrupted()) {
        if (interruptible) {
          return false;
        }
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return true;
  }

  private Stream stream() {
    synchronized (streamLock) {
      if (closed) {
        return stream; // broken: every write fails as a lost connection
      }
      if (stream == null || stream.broken) {
        stream = new Stream();
        stream.out = stub.session(stream);
      }
      return stream;
    }
  }

  private Stream write(Invocation inv, long id, Slot slot, Object target) {
    Stream s = stream();
    s.slots.put(id, slot);
    if (!s.write(inv, 0)) {
      s.slots.remove(id);
      throw lost(inv, target);
    }
    return s;
  }

  private static JobEngineException lost(Invocation inv, Object target) {
    return new JobEngineException(inv.getOp() + " on " + target + " failed: the connection to the master is lost");
  }

  /** One Session stream and the calls waiting for answers on it. */
  private final class Stream implements StreamObserver<Reply> {
    final Map<Long, Slot> slots = new ConcurrentHashMap<>();
    StreamObserver<Invocation> out; // guarded by this
    volatile boolean broken;
    private long sentBytes; // of no_reply invocations; guarded by this
    private long ackedBytes; // guarded by this
    // the puts waiting to go as one PUT_ALL (null: none), all into one queue; guarded by this
    private Invocation.Builder batch;
    private int batchQueue;
    private int batchBytes; // the values' share of its size
    private int batchAcquired; // window bytes its puts took
    private long batchEnd; // sentBytes once the last PUT_ALL was written; acked beyond: none in flight

    /**
     * Adds a put of {@code item} into queue {@code queue}, whose value takes {@code valueBytes}
     * and which took {@code acquired} window bytes; writes it at once if no batch is in flight.
     * Returns the window bytes it did not need, or -1 if the stream is broken.
     */
    synchronized int put(int queue, ByteString item, int valueBytes, int acquired) {
      if (broken) {
        return -1;
      }
      if (batch != null && (batchQueue != queue || batchBytes + valueBytes + BATCH_HEADER_BYTES > MAX_SEND_BYTES)) {
        writeBatch();
      }
      int unused = 0;
      if (batch == null) {
        batch = Invocation.newBuilder().setOp(Op.PUT_ALL).setObject(queue).setNoReply(true);
        batchQueue = queue;
        batchBytes = 0;
        batchAcquired = 0;
      } else {
        unused = BATCH_HEADER_BYTES; // the batch's header is paid for already
      }
      batch.addValues(item);
      batchBytes += valueBytes;
      batchAcquired += acquired - unused;
      if (ackedBytes >= batchEnd) {
        writeBatch(); // nothing in flight: it goes now
      }
      return unused;
    }

    /** Writes the waiting batch of puts; under this object's lock, with a batch waiting. */
    private void writeBatch() {
      Invocation inv = batch.setCallId(ids.incrementAndGet()).build();
      int acquired = batchAcquired;
      batch = null;
      int size = inv.getSerializedSize();
      out.onNext(inv);
      sentBytes += size;
      batchEnd = sentBytes;
      window.release(acquired - size);
    }

    /** Writes {@code inv}; {@code cost} is its size if sent without reply (0 otherwise). */
    synchronized boolean write(Invocation inv, int cost) {
      if (broken) {
        return false;
      }
      if (batch != null) {
        writeBatch(); // puts made before go first
      }
      out.onNext(inv);
      sentBytes += cost;
      return true;
    }

    /** Half-closes the stream: nothing more will be written. */
    synchronized void complete() {
      if (!broken) {
        if (batch != null) {
          writeBatch();
        }
        broken = true;
        out.onCompleted();
      }
    }

    @Override
    public void onNext(Reply reply) {
      if (reply.getCallId() == 0) {
        long released;
        synchronized (this) {
          released = reply.getAcked() - ackedBytes;
          ackedBytes = reply.getAcked();
          if (batch != null && !broken && ackedBytes >= batchEnd) {
            writeBatch(); // the batch in flight is performed: the next one goes
          }
        }
        window.release((int) released);
        return;
      }
      Slot slot = slots.remove(reply.getCallId());
      if (slot != null) {
        slot.reply = reply;
        LockSupport.unpark(slot.waiter);
      } else if (reply.hasError()) {
        sentOperationFailed(reply);
      }
    }

    @Override
    public void onError(Throwable t) {
      log.debug("object stream to the master broke", t);
      fail(t.toString());
    }

    @Override
    public void onCompleted() {
      fail("the master ended the stream");
    }

    private void fail(String why) {
      long unacked;
      int unsent = 0;
      synchronized (this) {
        broken = true;
        unacked = sentBytes - ackedBytes;
        ackedBytes = sentBytes;
        if (batch != null) {
          unsent = batch.getValuesCount();
          unacked += batchAcquired;
          batch = null;
        }
      }
      window.release((int) unacked);
      if (unsent > 0) {
        log.warn("the connection to the master broke with {} puts not yet sent: they are lost", unsent);
      }
      Reply lost = Reply.newBuilder()
          .setError(ObjectErrors.error(ObjectError.Code.CONNECTION_LOST, "the connection to the master is lost: " + why))
          .build();
      for (Long id : slots.keySet()) {
        Slot slot = slots.remove(id);
        if (slot != null) {
          slot.reply = lost;
          LockSupport.unpark(slot.waiter);
        }
      }
    }
  }

  /**
   * An invocation sent without waiting failed on the master. A pipe send that found the other end
   * closed marks this process's end broken, so its next send throws (as a socket's next write
   * does); anything else is logged.
   */
  private void sentOperationFailed(Reply reply) {
    if (reply.getOp() == Op.SEND && reply.getError().getCode() == ObjectError.Code.PIPE_CLOSED) {
      AtomicInteger end = pipeEnds.get(reply.getObject() * 2 + (int) reply.getNumber());
      if (end != null) {
        end.compareAndSet(ConnectionHandle.HELD, ConnectionHandle.BROKEN);
      }
      log.debug("a pipe send found the other end closed: {}", reply.getError().getMessage());
      return;
    }
    log.warn("{} sent without waiting failed on the master: {}: {}",
        reply.getOp(), reply.getError().getCode(), reply.getError().getMessage());
  }

  /**
   * Stops the read-ahead timer and ends the Session stream (so the channel can close at once
   * instead of waiting for the stream); the worker calls this as it ends, after its last flush.
   */
  public void close() {
    ScheduledExecutorService t = timer;
    if (t != null) {
      t.shutdownNow();
    }
    Stream s;
    synchronized (streamLock) {
      closed = true;
      if (stream == null) {
        stream = new Stream(); // never opened: a broken one, so that later calls fail at once
        stream.broken = true;
      }
      s = stream;
    }
    s.complete();
  }

  @Override
  public Payloads payloads() {
    return payloads;
  }
}

package dev.jobengine.internal.objects;

import dev.jobengine.JobEngineException;
import dev.jobengine.internal.wire.Payloads;
import dev.jobengine.internal.wire.SessionHeader;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.ObjectError;
import dev.jobengine.proto.ObjectsGrpc;
import dev.jobengine.proto.Reply;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
 * other invocations, and {@link #flush} waits until it has. At most {@link #SEND_WINDOW_BYTES} of
 * such invocations are outstanding; beyond that {@code send} waits.
 */
public final class RemoteObjectAccess implements ObjectAccess {
  private static final Logger log = LoggerFactory.getLogger(RemoteObjectAccess.class);

  /** Bytes of invocations sent without waiting that the master has not yet acknowledged. */
  static final int SEND_WINDOW_BYTES = 4 << 20;
  /** Largest invocation {@link #send} takes; larger ones should be invoked. */
  public static final int MAX_SEND_BYTES = 64 << 10;
  private static final long SPIN_NANOS = Long.getLong("jobengine.objectSpinNanos", 0);

  private final ObjectsGrpc.ObjectsStub stub;
  private final Payloads payloads;
  private final AtomicLong ids = new AtomicLong();
  private final Semaphore window = new Semaphore(SEND_WINDOW_BYTES);
  private final Object streamLock = new Object();
  private Stream stream; // guarded by streamLock

  public RemoteObjectAccess(Channel channel, long session, Payloads payloads) {
    this.stub = ObjectsGrpc.newStub(ClientInterceptors.intercept(channel, SessionHeader.interceptor(session)));
    this.payloads = payloads;
  }

  /** Where an answer goes: a waiting thread, or (for {@link #send}) the window it releases. */
  private static final class Slot {
    final Thread waiter;
    final int cost;
    volatile Reply reply;

    Slot(Thread waiter, int cost) {
      this.waiter = waiter;
      this.cost = cost;
    }
  }

  @Override
  public Reply invoke(Invocation inv) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before " + inv.getOp() + " on " + inv.getRef().getName());
    }
    Slot slot = new Slot(Thread.currentThread(), 0);
    long id = ids.incrementAndGet();
    Stream s = write(inv.toBuilder().setCallId(id).build(), id, slot);
    if (await(slot, true)) {
      return slot.reply;
    }
    s.write(Invocation.newBuilder().setOp("cancel").setNumber(id).build());
    await(slot, false);
    Reply r = slot.reply;
    if (r.getTimedOut() && !r.hasError()) {
      throw new InterruptedException("interrupted during " + inv.getOp() + " on " + inv.getRef().getName());
    }
    Thread.currentThread().interrupt(); // the grant came first: keep it, and the interrupt
    return r;
  }

  @Override
  public void send(Invocation inv) throws InterruptedException {
    int cost = Math.max(256, inv.getSerializedSize());
    if (cost > MAX_SEND_BYTES) {
      answerOrThrow(invoke(inv));
      return;
    }
    window.acquire(cost);
    long id = ids.incrementAndGet();
    try {
      write(inv.toBuilder().setCallId(id).build(), id, new Slot(null, cost));
    } catch (RuntimeException e) {
      window.release(cost);
      throw e;
    }
  }

  private static void answerOrThrow(Reply r) {
    if (r.hasError()) {
      throw HandleCore.toException(r.getError());
    }
  }

  @Override
  public boolean flush(Duration timeout) throws InterruptedException {
    if (!window.tryAcquire(SEND_WINDOW_BYTES, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    window.release(SEND_WINDOW_BYTES);
    return true;
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

  private Stream write(Invocation inv, long id, Slot slot) {
    Stream s;
    synchronized (streamLock) {
      if (stream == null || stream.broken) {
        stream = new Stream();
        stream.out = stub.session(stream);
      }
      s = stream;
    }
    s.slots.put(id, slot);
    if (!s.write(inv)) {
      s.slots.remove(id);
      throw new JobEngineException(
          inv.getOp() + " on " + inv.getRef().getKind() + " " + inv.getRef().getName() + " failed: the connection to the master is lost");
    }
    return s;
  }

  /** One Session stream and the calls waiting for answers on it. */
  private final class Stream implements StreamObserver<Reply> {
    final Map<Long, Slot> slots = new ConcurrentHashMap<>();
    StreamObserver<Invocation> out; // guarded by this
    volatile boolean broken;

    synchronized boolean write(Invocation inv) {
      if (broken) {
        return false;
      }
      out.onNext(inv);
      return true;
    }

    @Override
    public void onNext(Reply reply) {
      Slot slot = slots.remove(reply.getCallId());
      if (slot != null) {
        complete(slot, reply);
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
      broken = true;
      Reply lost = Reply.newBuilder()
          .setError(ObjectError.newBuilder().setType("JobEngineException")
              .setMessage("the connection to the master is lost: " + why))
          .build();
      for (Long id : slots.keySet()) {
        Slot slot = slots.remove(id);
        if (slot != null) {
          complete(slot, lost);
        }
      }
    }
  }

  private void complete(Slot slot, Reply reply) {
    if (slot.waiter != null) {
      slot.reply = reply;
      LockSupport.unpark(slot.waiter);
      return;
    }
    window.release(slot.cost);
    if (reply.hasError()) {
      log.warn("an operation sent without waiting failed on the master: {}: {}",
          reply.getError().getType(), reply.getError().getMessage());
    }
  }

  @Override
  public Payloads payloads() {
    return payloads;
  }
}

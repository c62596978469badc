package dev.jobengine.master.internal.hub;

import dev.jobengine.core.wire.SessionHeader;
import dev.jobengine.master.internal.objects.ObjectCall;
import dev.jobengine.master.internal.objects.ObjectDispatcher;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.Invocation.Op;
import dev.jobengine.proto.ObjectsGrpc;
import dev.jobengine.proto.Reply;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared-object calls from workers: a thin adapter over {@link ObjectDispatcher}, one stream per
 * session. Invocations are performed in arrival order; every one is answered once, tagged with its
 * call id. A blocking call holds no thread while it waits; if the caller withdraws it, or the
 * stream ends (the process died), the wait is withdrawn, and anything granted to an answer that
 * can no longer be delivered is given back.
 *
 * <p>Invocations run on the hub's event loop, except those that may run the application's code
 * (decoding a map key of the application's own class, say): such an invocation, and every one the
 * session sends after it until the session has caught up, runs on the {@code objects} executor,
 * so the session's order holds and no transport thread runs the application's code. Plain
 * invocations stay on the event loop because a hand-off costs a wake-up each: measured from a
 * worker on 2 cores, a map get with a String key takes 73-100 us (p50), one with a key of the
 * application's own class 110-156 us (its deserialization and the hand-off).
 */
public final class ObjectsGrpcService extends ObjectsGrpc.ObjectsImplBase {
  private static final Logger log = LoggerFactory.getLogger(ObjectsGrpcService.class);

  /** The master acknowledges no_reply invocations each time this many more bytes were performed. */
  static final int ACK_EVERY_BYTES = 64 << 10;

  private final ObjectDispatcher dispatcher;
  private final Executor objectsExecutor;
  private final Map<Long, SessionStream> streams = new ConcurrentHashMap<>();
  private final LongConsumer clientSessionEnded;
  private volatile String engineKey = "";
  /** Messages on every session stream of this JVM: replies out, invocations in by op (for benchmarks). */
  private static final LongAdder REPLIES = new LongAdder();
  private static final LongAdder[] INVOCATIONS = new LongAdder[128];

  static {
    for (int i = 0; i < INVOCATIONS.length; i++) {
      INVOCATIONS[i] = new LongAdder();
    }
  }

  /**
   * The messages on this JVM's Objects streams so far: element 0 the replies sent, element 1 +
   * n the invocations received with op number n.
   */
  public static long[] messageCounts() {
    long[] counts = new long[INVOCATIONS.length + 1];
    counts[0] = REPLIES.sum();
    for (int i = 0; i < INVOCATIONS.length; i++) {
      counts[i + 1] = INVOCATIONS[i].sum();
    }
    return counts;
  }

  /** The key the engine's handles travel with, told to whoever pings. */
  public void engineKey(String key) {
    this.engineKey = key;
  }

  /**
   * {@code objectsExecutor} runs the invocations that may run application code; {@code
   * clientSessionEnded} gives back what a client's session held once its stream ends (a worker's
   * session ends with its process instead, see the supervisor).
   */
  public ObjectsGrpcService(ObjectDispatcher dispatcher, Executor objectsExecutor, LongConsumer clientSessionEnded) {
    this.dispatcher = dispatcher;
    this.objectsExecutor = objectsExecutor;
    this.clientSessionEnded = clientSessionEnded;
  }

  @Override
  public StreamObserver<Invocation> session(StreamObserver<Reply> out) {
    Long session = SessionInterceptor.SESSION.get();
    SessionStream stream = new SessionStream(session == null ? -1 : session, (ServerCallStreamObserver<Reply>) out);
    stream.remote = SessionInterceptor.REMOTE.get();
    streams.put(stream.session, stream);
    return stream;
  }

  /** A session's open stream, for status reports. */
  public record OpenSession(long session, SocketAddress remoteAddress, long openedMillis, int waiting) {}

  /** The sessions whose stream is open now. */
  public List<OpenSession> openSessions() {
    List<OpenSession> open = new ArrayList<>();
    for (SessionStream s : streams.values()) {
      open.add(new OpenSession(s.session, s.remote, s.openedMillis, s.pending.size()));
    }
    return open;
  }

  /** Fails the session's stream as a network fault would; false if it has none open. */
  public boolean cut(long session) {
    SessionStream stream = streams.get(session);
    if (stream == null) {
      return false;
    }
    stream.cut();
    return true;
  }

  /** One process's stream: its pending calls by id, and the answers going back. */
  private final class SessionStream implements StreamObserver<Invocation> {
    private final long session;
    private final ServerCallStreamObserver<Reply> out;
    private final Map<Long, ObjectCall> pending = new ConcurrentHashMap<>();
    private final long openedMillis = System.currentTimeMillis();
    private volatile SocketAddress remote;
    /** Invocations waiting for the objects executor, in order; guarded by this. */
    private final ArrayDeque<Invocation> backlog = new ArrayDeque<>();
    /** Whether the objects executor is working through the backlog; guarded by this. */
    private boolean offloaded;
    private boolean ended; // guarded by out
    // performed one invocation at a time (the event loop, or the executor while offloaded)
    private long performed; // bytes of no_reply invocations performed
    private long acked;

    SessionStream(long session, ServerCallStreamObserver<Reply> out) {
      this.session = session;
      this.out = out;
      out.setOnCancelHandler(this::end);
    }

    @Override
    public void onNext(Invocation inv) {
      INVOCATIONS[inv.getOpValue() & (INVOCATIONS.length - 1)].increment();
      synchronized (this) {
        if (offloaded) {
          backlog.addLast(inv);
          return;
        }
        if (dispatcher.runsApplicationCode(inv)) {
          offloaded = true;
          backlog.addLast(inv);
          try {
            objectsExecutor.execute(this::drain);
          } catch (RejectedExecutionException engineClosing) {
            backlog.clear();
            offloaded = false;
            Reply closing = ObjectDispatcher.error(new IllegalStateException("the engine is closing"));
            answer(inv.getCallId(), closing, ObjectCall.done(closing));
          }
          return;
        }
      }
      perform(inv);
    }

    /** On the objects executor: performs the backlog in order, then hands back to the event loop. */
    private void drain() {
      while (true) {
        Invocation next;
        synchronized (this) {
          next = backlog.pollFirst();
          if (next == null) {
            offloaded = false;
            return;
          }
        }
        if (!isEnded()) { // a process gone mid-backlog was killed: what it sent last is dropped
          perform(next);
        }
      }
    }

    private boolean isEnded() {
      synchronized (out) {
        return ended;
      }
    }

    private void perform(Invocation inv) {
      long id = inv.getCallId();
      if (inv.getNoReply()) {
        ObjectCall call = dispatcher.invoke(session, inv);
        call.reply().thenAccept(reply -> {
          if (reply.hasError()) { // nobody waits for it: say what failed
            answer(id, reply.toBuilder().setOp(inv.getOp()).setObject(inv.getObject()).setNumber(inv.getNumber()).build(), call);
          }
        });
        performed += inv.getSerializedSize();
        // a batch of puts is acknowledged at once: the process sends its next batch on the ack
        if (performed - acked >= ACK_EVERY_BYTES || inv.getOp() == Op.PUT_ALL) {
          acked = performed;
          answer(0, Reply.newBuilder().setAcked(performed).build(), call);
        }
        return;
      }
      if (inv.getOp() == Op.PING) {
        Reply pong = engineKey.isEmpty() ? Reply.getDefaultInstance() : Reply.newBuilder().setEngine(engineKey).build();
        answer(id, pong, ObjectCall.done(pong));
        return;
      }
      if (inv.getOp() == Op.CANCEL) {
        ObjectCall call = pending.get(inv.getNumber());
        if (call != null && call.reply().complete(ObjectDispatcher.TIMED_OUT)) {
          call.withdraw().run(); // a grant that got there first is answered as usual
        }
        return;
      }
      ObjectCall call = dispatcher.invoke(session, inv);
      if (call.reply().isDone()) {
        answer(id, call.reply().join(), call);
        return;
      }
      pending.put(id, call);
      call.reply().thenAccept(reply -> {
        if (pending.remove(id) != null) { // else end() took it and abandoned it
          answer(id, reply, call);
        }
      });
    }

    private void answer(long id, Reply reply, ObjectCall call) {
      synchronized (out) {
        if (!ended) {
          REPLIES.increment();
          out.onNext(id == 0 ? reply : reply.toBuilder().setCallId(id).build());
          return;
        }
      }
      if (id != 0) {
        call.giveBack().accept(reply);
      }
    }

    @Override
    public void onError(Throwable t) {
      end();
    }

    @Override
    public void onCompleted() {
      end();
      synchronized (out) {
        out.onCompleted();
      }
    }

    void cut() {
      end();
      synchronized (out) {
        try {
          out.onError(Status.UNAVAILABLE.withDescription("connection cut").asRuntimeException());
        } catch (RuntimeException e) {
          log.debug("session {} was closed already", session, e);
        }
      }
    }

    /** The caller is gone: withdraw every wait; grants that raced with this are given back. */
    private void end() {
      synchronized (out) {
        if (ended) {
          return;
        }
        ended = true;
      }
      streams.remove(session, this);
      if (SessionHeader.isClient(session)) {
        clientSessionEnded.accept(session); // a client is its connection: what it held comes back now
      }
      if (!pending.isEmpty()) {
        log.debug("session {} ended with {} calls waiting; withdrawing them", session, pending.size());
      }
      for (Long id : pending.keySet()) {
        ObjectCall call = pending.remove(id);
        if (call != null) {
          call.abandon(ObjectDispatcher.TIMED_OUT);
        }
      }
    }
  }
}

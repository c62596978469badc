package dev.jobengine.master.internal;

import dev.jobengine.internal.wire.SessionHeader;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.ObjectsGrpc;
import dev.jobengine.proto.Reply;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared-object calls from workers: a thin adapter over {@link ObjectDispatcher}, one stream per
 * session. Invocations are performed in arrival order (the hub runs this on its event loop); every
 * one is answered once, tagged with its call id. A blocking call holds no thread while it waits; if
 * the caller withdraws it, or the stream ends (the process died), the wait is withdrawn, and
 * anything granted to an answer that can no longer be delivered is given back.
 */
final class ObjectsGrpcService extends ObjectsGrpc.ObjectsImplBase {
  private static final Logger log = LoggerFactory.getLogger(ObjectsGrpcService.class);
  static final Context.Key<Long> SESSION = Context.key("jobengine-session");

  /** The master acknowledges no_reply invocations each time this many more bytes were performed. */
  static final int ACK_EVERY_BYTES = 64 << 10;

  private final ObjectDispatcher dispatcher;

  ObjectsGrpcService(ObjectDispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @Override
  public StreamObserver<Invocation> session(StreamObserver<Reply> out) {
    Long session = SESSION.get();
    return new SessionStream(session == null ? -1 : session, (ServerCallStreamObserver<Reply>) out);
  }

  /** One process's stream: its pending calls by id, and the answers going back. */
  private final class SessionStream implements StreamObserver<Invocation> {
    private final long session;
    private final ServerCallStreamObserver<Reply> out;
    private final Map<Long, ObjectDispatcher.Call> pending = new ConcurrentHashMap<>();
    private boolean ended; // guarded by out
    private long performed; // bytes of no_reply invocations performed; event loop only
    private long acked; // event loop only

    SessionStream(long session, ServerCallStreamObserver<Reply> out) {
      this.session = session;
      this.out = out;
      out.setOnCancelHandler(this::end);
    }

    @Override
    public void onNext(Invocation inv) {
      long id = inv.getCallId();
      if (inv.getNoReply()) {
        ObjectDispatcher.Call call = dispatcher.invoke(session, inv);
        call.reply().thenAccept(reply -> {
          if (reply.hasError()) {
            answer(id, reply, call);
          }
        });
        performed += inv.getSerializedSize();
        if (performed - acked >= ACK_EVERY_BYTES) {
          acked = performed;
          answer(0, Reply.newBuilder().setAcked(performed).build(), call);
        }
        return;
      }
      if (inv.getOp().equals("ping")) {
        answer(id, Reply.getDefaultInstance(), ObjectDispatcher.Call.done(Reply.getDefaultInstance()));
        return;
      }
      if (inv.getOp().equals("cancel")) {
        ObjectDispatcher.Call call = pending.get(inv.getNumber());
        if (call != null && call.reply().complete(ObjectDispatcher.TIMED_OUT)) {
          call.withdraw().run(); // a grant that got there first is answered as usual
        }
        return;
      }
      ObjectDispatcher.Call call = dispatcher.invoke(session, inv);
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

    private void answer(long id, Reply reply, ObjectDispatcher.Call call) {
      synchronized (out) {
        if (!ended) {
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

    /** The caller is gone: withdraw every wait; grants that raced with this are given back. */
    private void end() {
      synchronized (out) {
        if (ended) {
          return;
        }
        ended = true;
      }
      if (!pending.isEmpty()) {
        log.debug("session {} ended with {} calls waiting; withdrawing them", session, pending.size());
      }
      for (Long id : pending.keySet()) {
        ObjectDispatcher.Call call = pending.remove(id);
        if (call != null) {
          call.abandon(ObjectDispatcher.TIMED_OUT);
        }
      }
    }
  }

  /** Puts the caller's session (from {@link SessionHeader}) into the call's context. */
  static final class SessionInterceptor implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      String s = headers.get(SessionHeader.KEY);
      if (s == null) {
        return next.startCall(call, headers);
      }
      long session;
      try {
        session = Long.parseLong(s);
      } catch (NumberFormatException e) {
        call.close(io.grpc.Status.INVALID_ARGUMENT.withDescription("bad session header"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return Contexts.interceptCall(Context.current().withValue(SESSION, session), call, headers, next);
    }
  }
}

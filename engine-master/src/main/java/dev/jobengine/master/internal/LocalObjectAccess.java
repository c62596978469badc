package dev.jobengine.master.internal;

import dev.jobengine.internal.objects.ObjectAccess;
import dev.jobengine.internal.wire.Payloads;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.Reply;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The master's own handles: invocations go straight to the dispatcher, as session 0. After the
 * engine closes, calls fail with {@link IllegalStateException}, and so do calls still waiting.
 */
final class LocalObjectAccess implements ObjectAccess {
  static final long MASTER_SESSION = 0;

  private final ObjectDispatcher dispatcher;
  private final Payloads payloads;
  private final Set<ObjectDispatcher.Call> waiting = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  LocalObjectAccess(ObjectDispatcher dispatcher, Payloads payloads) {
    this.dispatcher = dispatcher;
    this.payloads = payloads;
  }

  @Override
  public Reply invoke(Invocation invocation) throws InterruptedException {
    if (closed) {
      return closedReply();
    }
    ObjectDispatcher.Call call = dispatcher.invoke(MASTER_SESSION, invocation);
    if (call.reply().isDone()) {
      return call.reply().join();
    }
    waiting.add(call);
    try {
      if (closed) {
        call.abandon(closedReply());
      }
      return call.reply().get();
    } catch (InterruptedException e) {
      call.abandon(ObjectDispatcher.TIMED_OUT);
      throw e;
    } catch (ExecutionException e) {
      return ObjectDispatcher.error(e.getCause());
    } finally {
      waiting.remove(call);
    }
  }

  private static Reply closedReply() {
    return ObjectDispatcher.error(new IllegalStateException("the engine is closed"));
  }

  /** Fails every call still waiting; later calls fail at once. */
  void close() {
    closed = true;
    for (ObjectDispatcher.Call call : waiting) {
      call.abandon(closedReply());
    }
  }

  @Override
  public Payloads payloads() {
    return payloads;
  }
}

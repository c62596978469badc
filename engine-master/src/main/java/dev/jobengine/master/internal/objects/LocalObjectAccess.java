package dev.jobengine.master.internal.objects;

import dev.jobengine.core.objects.ObjectAccess;
import dev.jobengine.core.wire.Payloads;
import dev.jobengine.master.internal.objects.state.SessionScoped;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.Reply;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The master's own handles: invocations go straight to the dispatcher, on the caller's thread, as
 * the master's session. After the engine closes, calls fail with {@link IllegalStateException}, and
 * so do calls still waiting.
 */
public final class LocalObjectAccess implements ObjectAccess {
  private final ObjectDispatcher dispatcher;
  private final Payloads payloads;
  private final Set<ObjectCall> waiting = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public LocalObjectAccess(ObjectDispatcher dispatcher, Payloads payloads) {
    this.dispatcher = dispatcher;
    this.payloads = payloads;
  }

  @Override
  public Reply invoke(Invocation invocation, Object target) throws InterruptedException {
    if (closed) {
      return closedReply();
    }
    ObjectCall call = dispatcher.invoke(SessionScoped.MASTER_SESSION, invocation);
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
  public void close() {
    closed = true;
    for (ObjectCall call : waiting) {
      call.abandon(closedReply());
    }
  }

  @Override
  public Payloads payloads() {
    return payloads;
  }
}

package dev.jobengine.master.internal;

import dev.jobengine.internal.objects.ObjectAccess;
import dev.jobengine.internal.wire.Payloads;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.Reply;
import java.util.concurrent.ExecutionException;

/** The master's own handles: invocations go straight to the dispatcher, as session 0. */
final class LocalObjectAccess implements ObjectAccess {
  static final long MASTER_SESSION = 0;

  private final ObjectDispatcher dispatcher;
  private final Payloads payloads;

  LocalObjectAccess(ObjectDispatcher dispatcher, Payloads payloads) {
    this.dispatcher = dispatcher;
    this.payloads = payloads;
  }

  @Override
  public Reply invoke(Invocation invocation) throws InterruptedException {
    ObjectDispatcher.Call call = dispatcher.invoke(MASTER_SESSION, invocation);
    try {
      return call.reply().get();
    } catch (InterruptedException e) {
      call.abandon();
      throw e;
    } catch (ExecutionException e) {
      return ObjectDispatcher.error(e.getCause());
    }
  }

  @Override
  public Payloads payloads() {
    return payloads;
  }
}

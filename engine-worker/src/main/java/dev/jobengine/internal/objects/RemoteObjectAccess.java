package dev.jobengine.internal.objects;

import dev.jobengine.JobEngineException;
import dev.jobengine.internal.wire.Payloads;
import dev.jobengine.internal.wire.SessionHeader;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.ObjectsGrpc;
import dev.jobengine.proto.Reply;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;

/**
 * A worker's access to the master's objects: one unary call per invocation on the worker's
 * channel, tagged with its session. The master applies the timeout of a blocking call; the call's
 * deadline is only a backstop. An interrupt cancels the call, which withdraws the wait on the master.
 */
public final class RemoteObjectAccess implements ObjectAccess {
  /** Margin beyond a blocking call's own timeout before the caller gives up on the master. */
  private static final long DEADLINE_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(30);
  /** Deadline of a call that does not block. */
  private static final long QUICK_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final ObjectsGrpc.ObjectsBlockingStub stub;
  private final Payloads payloads;

  public RemoteObjectAccess(Channel channel, long session, Payloads payloads) {
    this.stub = ObjectsGrpc.newBlockingStub(ClientInterceptors.intercept(channel, SessionHeader.interceptor(session)));
    this.payloads = payloads;
  }

  @Override
  public Reply invoke(Invocation inv) throws InterruptedException {
    long timeout = inv.getTimeoutNanos();
    ObjectsGrpc.ObjectsBlockingStub s = stub;
    if (timeout >= 0) {
      s = s.withDeadlineAfter((timeout == 0 ? QUICK_DEADLINE_NANOS : timeout + DEADLINE_MARGIN_NANOS), TimeUnit.NANOSECONDS);
    }
    try {
      return s.invoke(inv);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.CANCELLED && e.getCause() instanceof InterruptedException) {
        Thread.interrupted();
        throw new InterruptedException("interrupted during " + inv.getOp() + " on " + inv.getRef().getName());
      }
      throw new JobEngineException(
          inv.getOp() + " on " + inv.getRef().getKind() + " " + inv.getRef().getName() + " failed: " + e.getStatus(), e);
    }
  }

  @Override
  public Payloads payloads() {
    return payloads;
  }
}

package dev.jobengine.master.internal.objects;

import dev.jobengine.core.wire.Payloads;
import dev.jobengine.master.internal.objects.state.BarrierState;
import dev.jobengine.master.internal.objects.state.EventState;
import dev.jobengine.master.internal.objects.state.ListState;
import dev.jobengine.master.internal.objects.state.LockState;
import dev.jobengine.master.internal.objects.state.MapState;
import dev.jobengine.master.internal.objects.state.PipeState;
import dev.jobengine.master.internal.objects.state.QueueState;
import dev.jobengine.master.internal.objects.state.SemaphoreState;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.Invocation.Op;
import dev.jobengine.proto.ObjectRef;
import dev.jobengine.proto.Reply;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Performs invocations on the registry's objects for a session, used by the master's own handles
 * and by the gRPC service alike: {@code DECLARE} answers an object's id; every other operation goes
 * to the operation table of the object's kind. Whatever an operation throws becomes the reply's
 * error (through {@link dev.jobengine.core.wire.ObjectErrors}). Blocking operations hold no
 * thread: they complete when the object grants them, or time out through the timer, which
 * withdraws the waiter.
 */
public final class ObjectDispatcher {
  /** What a call that timed out, or was withdrawn, answers. */
  public static final Reply TIMED_OUT = Replies.TIMED_OUT;

  private final ObjectRegistry registry;
  private final QueueOperations queues;
  private final LockOperations locks;
  private final SemaphoreOperations semaphores;
  private final EventOperations events;
  private final BarrierOperations barriers;
  private final MapOperations maps;
  private final ListOperations lists;
  private final PipeOperations pipes;

  public ObjectDispatcher(ObjectRegistry registry, Payloads payloads, ScheduledExecutorService timer) {
    this.registry = registry;
    Blocking blocking = new Blocking(timer);
    this.queues = new QueueOperations(blocking);
    this.locks = new LockOperations(blocking);
    this.semaphores = new SemaphoreOperations(blocking);
    this.events = new EventOperations(blocking);
    this.barriers = new BarrierOperations(blocking);
    this.maps = new MapOperations(payloads);
    this.lists = new ListOperations(payloads);
    this.pipes = new PipeOperations(blocking);
  }

  public ObjectRegistry registry() {
    return registry;
  }

  /** Performs {@code inv} for {@code session}; never throws (failures are the reply's error). */
  public ObjectCall invoke(long session, Invocation inv) {
    try {
      if (registry.hasEnded(session)) {
        throw new IllegalStateException("session " + session + " has ended");
      }
      if (inv.getOp() == Op.DECLARE) {
        ObjectRef ref = inv.getRef();
        return ObjectCall.done(Replies.number(registry.declare(ref.getKind(), ref.getName(), ref.getSize()).id()));
      }
      ObjectRegistry.Entry e = registry.get(inv.getObject());
      Object s = e.state();
      return switch (e.kind()) {
        case QUEUE, JOINABLE_QUEUE -> queues.invoke(session, (QueueState) s, inv);
        case LOCK, RLOCK -> locks.invoke(session, (LockState) s, inv);
        case SEMAPHORE, BOUNDED_SEMAPHORE -> semaphores.invoke(session, (SemaphoreState) s, inv);
        case EVENT -> events.invoke(session, (EventState) s, inv);
        case BARRIER -> barriers.invoke(session, (BarrierState) s, inv);
        case MAP -> maps.invoke(session, (MapState) s, inv);
        case LIST -> lists.invoke(session, (ListState) s, inv);
        case PIPE -> pipes.invoke(session, (PipeState) s, inv);
        case KIND_UNSPECIFIED, UNRECOGNIZED -> throw new IllegalStateException("object " + e.id() + " has no kind");
      };
    } catch (RuntimeException ex) {
      return ObjectCall.done(Replies.error(ex));
    }
  }

  /**
   * Whether performing {@code inv} may run the application's code (its values' deserialization),
   * which a transport thread must not do: a slow or hostile {@code readObject} would stall every
   * stream on that thread.
   */
  public boolean runsApplicationCode(Invocation inv) {
    if (inv.getOp() == Op.DECLARE || inv.getOp() == Op.PING || inv.getOp() == Op.CANCEL) {
      return false;
    }
    ObjectRegistry.Entry e;
    try {
      e = registry.get(inv.getObject());
    } catch (IllegalArgumentException unknown) {
      return false; // answered with an error at once
    }
    return switch (e.kind()) {
      case MAP -> maps.runsApplicationCode(inv);
      case LIST -> lists.runsApplicationCode(inv);
      default -> false;
    };
  }

  /** An error reply for {@code t}. */
  public static Reply error(Throwable t) {
    return Replies.error(t);
  }
}

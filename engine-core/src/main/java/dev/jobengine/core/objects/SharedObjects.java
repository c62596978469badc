package dev.jobengine.core.objects;

import dev.jobengine.JobEngineException;
import dev.jobengine.JoinableQueue;
import dev.jobengine.Pipe;
import dev.jobengine.SharedBarrier;
import dev.jobengine.SharedEvent;
import dev.jobengine.SharedList;
import dev.jobengine.SharedLock;
import dev.jobengine.SharedMap;
import dev.jobengine.SharedQueue;
import dev.jobengine.SharedSemaphore;
import dev.jobengine.core.wire.ObjectErrors;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.Invocation.Op;
import dev.jobengine.proto.ObjectRef;
import dev.jobengine.proto.ObjectRef.Kind;
import dev.jobengine.proto.Reply;
import java.util.Locale;
import java.util.Objects;

/**
 * The Engine's shared-object methods, for the master and for workers alike: declares the object
 * on the master (creating it, or checking its kind and size), which answers with the object's id,
 * and returns a handle that names the object by that id.
 */
public final class SharedObjects {
  private final String engineKey;
  private final ObjectAccess access;

  public SharedObjects(String engineKey, ObjectAccess access) {
    this.engineKey = engineKey;
    this.access = access;
  }

  /** How messages name a kind, on both sides of the wire: {@code queue}, {@code joinable_queue}, ... */
  public static String describe(Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  private HandleCore declare(Kind kind, String name, int size) {
    Objects.requireNonNull(name, () -> "name must not be null: a " + describe(kind) + " needs a name");
    Invocation declare = Invocation.newBuilder()
        .setOp(Op.DECLARE)
        .setRef(ObjectRef.newBuilder().setKind(kind).setName(name).setSize(size))
        .build();
    Reply r;
    try {
      r = access.invoke(declare, name);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobEngineException("interrupted while looking up " + describe(kind) + " " + name, e);
    }
    if (r.hasError()) {
      throw ObjectErrors.toException(r.getError());
    }
    return new HandleCore(engineKey, kind, name, size, (int) r.getNumber(), access);
  }

  public <E> SharedQueue<E> queue(String name, int maxsize) {
    return new QueueHandle<>(declare(Kind.QUEUE, name, maxsize));
  }

  public <E> JoinableQueue<E> joinableQueue(String name) {
    return new QueueHandle<>(declare(Kind.JOINABLE_QUEUE, name, 0));
  }

  public SharedLock lock(String name, boolean reentrant) {
    return new LockHandle(declare(reentrant ? Kind.RLOCK : Kind.LOCK, name, 0));
  }

  public SharedSemaphore semaphore(String name, int permits, boolean bounded) {
    return new SemaphoreHandle(declare(bounded ? Kind.BOUNDED_SEMAPHORE : Kind.SEMAPHORE, name, permits));
  }

  public SharedEvent event(String name) {
    return new EventHandle(declare(Kind.EVENT, name, 0));
  }

  public SharedBarrier barrier(String name, int parties) {
    return new BarrierHandle(declare(Kind.BARRIER, name, parties));
  }

  public <K, V> SharedMap<K, V> map(String name) {
    return new MapHandle<>(declare(Kind.MAP, name, 0));
  }

  public <E> SharedList<E> list(String name) {
    return new ListHandle<>(declare(Kind.LIST, name, 0));
  }

  public <E> Pipe<E> pipe(String name) {
    return new PipeHandle<>(declare(Kind.PIPE, name, 0));
  }
}

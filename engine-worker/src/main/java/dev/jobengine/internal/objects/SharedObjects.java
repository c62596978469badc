package dev.jobengine.internal.objects;

import dev.jobengine.JobEngineException;
import dev.jobengine.JoinableQueue;
import dev.jobengine.SharedBarrier;
import dev.jobengine.SharedEvent;
import dev.jobengine.SharedList;
import dev.jobengine.SharedLock;
import dev.jobengine.SharedMap;
import dev.jobengine.SharedQueue;
import dev.jobengine.SharedSemaphore;
import dev.jobengine.proto.Invocation;
import dev.jobengine.proto.ObjectRef;
import dev.jobengine.proto.Reply;

/**
 * The Engine's shared-object methods, for the master and for workers alike: declares the object
 * on the master (creating it, or checking its kind and size) and returns a handle to it.
 */
public final class SharedObjects {
  private final String engineKey;
  private final ObjectAccess access;

  public SharedObjects(String engineKey, ObjectAccess access) {
    this.engineKey = engineKey;
    this.access = access;
  }

  private void declare(ObjectKind kind, String name, int size) {
    Reply r;
    try {
      r = access.invoke(Invocation.newBuilder()
          .setRef(ObjectRef.newBuilder().setKind(kind.wireName()).setName(name).setSize(size))
          .setOp("declare")
          .build());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobEngineException("interrupted while looking up " + kind.wireName() + " " + name, e);
    }
    if (r.hasError()) {
      throw HandleCore.toException(r.getError());
    }
  }

  public <E> SharedQueue<E> queue(String name, int maxsize) {
    declare(ObjectKind.QUEUE, name, maxsize);
    return new QueueHandle<>(engineKey, false, name, maxsize, access);
  }

  public <E> JoinableQueue<E> joinableQueue(String name) {
    declare(ObjectKind.JOINABLE_QUEUE, name, 0);
    return new QueueHandle<>(engineKey, true, name, 0, access);
  }

  public SharedLock lock(String name, boolean reentrant) {
    declare(reentrant ? ObjectKind.RLOCK : ObjectKind.LOCK, name, 0);
    return new LockHandle(engineKey, reentrant, name, access);
  }

  public SharedSemaphore semaphore(String name, int permits, boolean bounded) {
    declare(bounded ? ObjectKind.BOUNDED_SEMAPHORE : ObjectKind.SEMAPHORE, name, permits);
    return new SemaphoreHandle(engineKey, bounded, name, permits, access);
  }

  public SharedEvent event(String name) {
    declare(ObjectKind.EVENT, name, 0);
    return new EventHandle(engineKey, name, access);
  }

  public SharedBarrier barrier(String name, int parties) {
    declare(ObjectKind.BARRIER, name, parties);
    return new BarrierHandle(engineKey, name, parties, access);
  }

  public <K, V> SharedMap<K, V> map(String name) {
    declare(ObjectKind.MAP, name, 0);
    return new MapHandle<>(engineKey, name, access);
  }

  public <E> SharedList<E> list(String name) {
    declare(ObjectKind.LIST, name, 0);
    return new ListHandle<>(engineKey, name, access);
  }
}

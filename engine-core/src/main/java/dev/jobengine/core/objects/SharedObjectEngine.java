package dev.jobengine.core.objects;

import dev.jobengine.Engine;
import dev.jobengine.JoinableQueue;
import dev.jobengine.Pipe;
import dev.jobengine.SharedBarrier;
import dev.jobengine.SharedEvent;
import dev.jobengine.SharedList;
import dev.jobengine.SharedLock;
import dev.jobengine.SharedMap;
import dev.jobengine.SharedQueue;
import dev.jobengine.SharedSemaphore;
import java.util.Objects;

/**
 * The shared-object half of {@link Engine}, the same in the master and in a worker. Every factory
 * refuses a null name with a {@link NullPointerException} naming the parameter, before anything
 * is sent.
 */
public abstract class SharedObjectEngine implements Engine {
  private volatile SharedObjects objects;

  /** Set once the engine knows how to reach its objects. */
  protected final void objects(SharedObjects objects) {
    this.objects = objects;
  }

  @Override
  public <E> SharedQueue<E> queue(String name) {
    return objects.queue(name, 0);
  }

  @Override
  public <E> SharedQueue<E> queue(String name, int maxsize) {
    Objects.requireNonNull(name, "name must not be null: a queue needs a name");
    if (maxsize < 0) {
      throw new IllegalArgumentException("maxsize must not be negative, was " + maxsize);
    }
    return objects.queue(name, maxsize);
  }

  @Override
  public <E> JoinableQueue<E> joinableQueue(String name) {
    return objects.joinableQueue(name);
  }

  @Override
  public SharedLock lock(String name) {
    return objects.lock(name, false);
  }

  @Override
  public SharedLock rlock(String name) {
    return objects.lock(name, true);
  }

  @Override
  public SharedSemaphore semaphore(String name, int permits) {
    return objects.semaphore(name, permits, false);
  }

  @Override
  public SharedSemaphore boundedSemaphore(String name, int permits) {
    return objects.semaphore(name, permits, true);
  }

  @Override
  public SharedEvent event(String name) {
    return objects.event(name);
  }

  @Override
  public SharedBarrier barrier(String name, int parties) {
    return objects.barrier(name, parties);
  }

  @Override
  public <K, V> SharedMap<K, V> map(String name) {
    return objects.map(name);
  }

  @Override
  public <E> SharedList<E> list(String name) {
    return objects.list(name);
  }

  @Override
  public <E> Pipe<E> pipe(String name) {
    return objects.pipe(name);
  }
}

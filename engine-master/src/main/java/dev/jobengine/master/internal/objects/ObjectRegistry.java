package dev.jobengine.master.internal.objects;

import dev.jobengine.core.objects.SharedObjects;
import dev.jobengine.master.internal.objects.state.BarrierState;
import dev.jobengine.master.internal.objects.state.EventState;
import dev.jobengine.master.internal.objects.state.ListState;
import dev.jobengine.master.internal.objects.state.LockState;
import dev.jobengine.master.internal.objects.state.MapState;
import dev.jobengine.master.internal.objects.state.PipeState;
import dev.jobengine.master.internal.objects.state.QueueState;
import dev.jobengine.master.internal.objects.state.SemaphoreState;
import dev.jobengine.master.internal.objects.state.SessionScoped;
import dev.jobengine.proto.ObjectRef.Kind;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The engine's shared objects, by name and by id. The same name gives the same object; the same
 * name with another kind or size is an {@link IllegalStateException}. Ids are given in declaration
 * order from 1 and never reused. It also remembers which sessions ended: nothing a session sent is
 * performed after its end, so nothing can be granted to it then and never given back.
 */
public final class ObjectRegistry {
  /** One named object. */
  public record Entry(int id, Kind kind, String name, int size, Object state) {}

  private final Map<String, Entry> byName = new ConcurrentHashMap<>();
  private final Set<Long> ended = ConcurrentHashMap.newKeySet();
  private volatile Entry[] byId = new Entry[64]; // written under this, read without
  private int nextId = 1; // guarded by this
  private final Consumer<Entry> onDeclared;

  public ObjectRegistry() {
    this(e -> {});
  }

  /** {@code onDeclared} is told of each new object, once, on the thread that declared it. */
  public ObjectRegistry(Consumer<Entry> onDeclared) {
    this.onDeclared = onDeclared;
  }

  /** The object called {@code name}, created if new. */
  public Entry declare(Kind kind, String name, int size) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a shared object needs a non-empty name");
    }
    checkSize(kind, size);
    Entry e = byName.get(name);
    boolean made = false;
    if (e == null) {
      synchronized (this) {
        e = byName.get(name);
        if (e == null) {
          e = new Entry(nextId++, kind, name, size, create(kind, size, name));
          Entry[] ids = byId;
          if (e.id() >= ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2);
          }
          ids[e.id()] = e;
          byId = ids;
          byName.put(name, e);
          made = true;
        }
      }
    }
    if (made) {
      onDeclared.accept(e);
    }
    if (e.kind() != kind || e.size() != size) {
      throw new IllegalStateException(
          "'" + name + "' is already a " + describe(e.kind(), e.size()) + ", not a " + describe(kind, size));
    }
    return e;
  }

  /** The object with this id; {@link IllegalArgumentException} if there is none. */
  public Entry get(int id) {
    Entry[] ids = byId;
    Entry e = id > 0 && id < ids.length ? ids[id] : null;
    if (e == null) {
      throw new IllegalArgumentException("no shared object has id " + id);
    }
    return e;
  }

  /** Every object, in declaration order. */
  public List<Entry> entries() {
    return Arrays.stream(byId).filter(e -> e != null).toList();
  }

  private static String describe(Kind kind, int size) {
    return SharedObjects.describe(kind) + (size == 0 ? "" : "(" + size + ")");
  }

  private static void checkSize(Kind kind, int size) {
    boolean ok = switch (kind) {
      case QUEUE, JOINABLE_QUEUE, SEMAPHORE, BOUNDED_SEMAPHORE -> size >= 0;
      case BARRIER -> size >= 1;
      case LOCK, RLOCK, EVENT, MAP, LIST, PIPE -> size == 0;
      case KIND_UNSPECIFIED, UNRECOGNIZED -> throw new IllegalArgumentException("unknown kind of shared object");
    };
    if (!ok) {
      throw new IllegalArgumentException("invalid size " + size + " for a " + SharedObjects.describe(kind));
    }
  }

  private static Object create(Kind kind, int size, String name) {
    return switch (kind) {
      case QUEUE -> new QueueState(size, false);
      case JOINABLE_QUEUE -> new QueueState(size, true);
      case LOCK -> new LockState(false);
      case RLOCK -> new LockState(true);
      case SEMAPHORE -> new SemaphoreState(size, false);
      case BOUNDED_SEMAPHORE -> new SemaphoreState(size, true);
      case EVENT -> new EventState();
      case BARRIER -> new BarrierState(size);
      case MAP -> new MapState();
      case LIST -> new ListState();
      case PIPE -> new PipeState("pipe '" + name + "'");
      case KIND_UNSPECIFIED, UNRECOGNIZED -> throw new IllegalArgumentException("unknown kind of shared object");
    };
  }

  /** Whether {@code session} ended: nothing it sent is performed any more. */
  public boolean hasEnded(long session) {
    return ended.contains(session);
  }

  /** The session ended (its process died or exited): give back everything it held. */
  public void sessionEnded(long session) {
    ended.add(session);
    for (Entry e : byName.values()) {
      if (e.state() instanceof SessionScoped s) {
        s.sessionEnded(session);
      }
    }
  }
}

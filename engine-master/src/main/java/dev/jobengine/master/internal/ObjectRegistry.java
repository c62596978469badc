package dev.jobengine.master.internal;

import dev.jobengine.internal.objects.ObjectKind;
import dev.jobengine.master.internal.objects.BarrierState;
import dev.jobengine.master.internal.objects.EventState;
import dev.jobengine.master.internal.objects.LockState;
import dev.jobengine.master.internal.objects.QueueState;
import dev.jobengine.master.internal.objects.SemaphoreState;
import dev.jobengine.master.internal.objects.SessionScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's shared objects by name. The same name gives the same object; the same name with
 * another kind or size is an {@link IllegalStateException}.
 */
final class ObjectRegistry {
  /** One named object. */
  record Entry(ObjectKind kind, String name, int size, Object state) {}

  private final Map<String, Entry> byName = new ConcurrentHashMap<>();

  Entry declare(ObjectKind kind, String name, int size) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a shared object needs a non-empty name");
    }
    checkSize(kind, size);
    Entry e = byName.computeIfAbsent(name, n -> new Entry(kind, n, size, create(kind, size)));
    if (e.kind() != kind || e.size() != size) {
      throw new IllegalStateException(
          "'" + name + "' is already a " + describe(e.kind(), e.size()) + ", not a " + describe(kind, size));
    }
    return e;
  }

  private static String describe(ObjectKind kind, int size) {
    return kind.wireName() + (size == 0 ? "" : "(" + size + ")");
  }

  private static void checkSize(ObjectKind kind, int size) {
    boolean ok = switch (kind) {
      case QUEUE, JOINABLE_QUEUE -> size >= 0;
      case SEMAPHORE, BOUNDED_SEMAPHORE -> size >= 0;
      case BARRIER -> size >= 1;
      default -> size == 0;
    };
    if (!ok) {
      throw new IllegalArgumentException("invalid size " + size + " for a " + kind.wireName());
    }
  }

  private static Object create(ObjectKind kind, int size) {
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
    };
  }

  /** The session ended (its process died or exited): give back everything it held. */
  void sessionEnded(long session) {
    for (Entry e : byName.values()) {
      if (e.state() instanceof SessionScoped s) {
        s.sessionEnded(session);
      }
    }
  }
}

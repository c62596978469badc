package dev.jobengine.master.internal.objects.state;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A shared list (Python's {@code Manager().list()}) of values in the caller's opaque encoded form,
 * decoded (by {@code decode}) only to compare. Guarded by its own monitor; every method is one
 * atomic step.
 */
public final class ListState {
  private final List<Object> list = new ArrayList<>();

  public synchronized Object get(int index) {
    return list.get(index);
  }

  public synchronized Object set(int index, Object value) {
    return list.set(index, value);
  }

  /** Appends when {@code index} is negative. */
  public synchronized void add(int index, Object value) {
    if (index < 0) {
      list.add(value);
    } else {
      list.add(index, value);
    }
  }

  public synchronized Object removeAt(int index) {
    return list.remove(index);
  }

  public synchronized int size() {
    return list.size();
  }

  public synchronized void clear() {
    list.clear();
  }

  public synchronized int indexOf(Object value, Function<Object, Object> decode) {
    for (int i = 0; i < list.size(); i++) {
      if (value.equals(decode.apply(list.get(i)))) {
        return i;
      }
    }
    return -1;
  }

  public synchronized List<Object> snapshot() {
    return new ArrayList<>(list);
  }

  /** For status reports: its size. */
  public synchronized Summary summary() {
    return Summary.of(list.size(), 0);
  }
}

package dev.jobengine.master.internal.objects.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A shared map (Python's {@code Manager().dict()}): keys as objects (decoded, so that equal keys
 * match), values as the caller's opaque encoded form, decoded (by {@code decode}) only to compare.
 * Guarded by its own monitor; every method is one atomic step.
 */
public final class MapState {
  private final Map<Object, Object> map = new LinkedHashMap<>();

  public synchronized Object get(Object key) {
    return map.get(key);
  }

  public synchronized Object put(Object key, Object value) {
    return map.put(key, value);
  }

  public synchronized Object remove(Object key) {
    return map.remove(key);
  }

  public synchronized boolean containsKey(Object key) {
    return map.containsKey(key);
  }

  public synchronized boolean containsValue(Object value, Function<Object, Object> decode) {
    for (Object v : map.values()) {
      if (value.equals(decode.apply(v))) {
        return true;
      }
    }
    return false;
  }

  public synchronized int size() {
    return map.size();
  }

  public synchronized void clear() {
    map.clear();
  }

  public synchronized Object putIfAbsent(Object key, Object value) {
    return map.putIfAbsent(key, value);
  }

  public synchronized boolean removeIf(Object key, Object value, Function<Object, Object> decode) {
    Object current = map.get(key);
    if (current != null && value.equals(decode.apply(current))) {
      map.remove(key);
      return true;
    }
    return false;
  }

  public synchronized Object replace(Object key, Object value) {
    return map.containsKey(key) ? map.put(key, value) : null;
  }

  public synchronized boolean replaceIf(Object key, Object expected, Object value, Function<Object, Object> decode) {
    Object current = map.get(key);
    if (current != null && expected.equals(decode.apply(current))) {
      map.put(key, value);
      return true;
    }
    return false;
  }

  /** Keys (as given to {@code encodeKey}) and values, alternating. */
  public synchronized List<Object> entries(Function<Object, Object> encodeKey) {
    List<Object> out = new ArrayList<>(map.size() * 2);
    map.forEach((k, v) -> {
      out.add(encodeKey.apply(k));
      out.add(v);
    });
    return out;
  }

  /** For status reports: its size. */
  public synchronized Summary summary() {
    return Summary.of(map.size(), 0);
  }
}

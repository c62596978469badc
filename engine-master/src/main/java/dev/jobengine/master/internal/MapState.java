package dev.jobengine.master.internal;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A shared map: keys decoded (so that equal keys match), values kept encoded and decoded only to
 * compare. Guarded by its own monitor; every method is one atomic step.
 */
final class MapState {
  private final Map<Object, ByteString> map = new LinkedHashMap<>();

  synchronized ByteString get(Object key) {
    return map.get(key);
  }

  synchronized ByteString put(Object key, ByteString value) {
    return map.put(key, value);
  }

  synchronized ByteString remove(Object key) {
    return map.remove(key);
  }

  synchronized boolean containsKey(Object key) {
    return map.containsKey(key);
  }

  synchronized boolean containsValue(Object value, Function<ByteString, Object> decode) {
    for (ByteString v : map.values()) {
      if (value.equals(decode.apply(v))) {
        return true;
      }
    }
    return false;
  }

  synchronized int size() {
    return map.size();
  }

  synchronized void clear() {
    map.clear();
  }

  synchronized ByteString putIfAbsent(Object key, ByteString value) {
    return map.putIfAbsent(key, value);
  }

  synchronized boolean removeIf(Object key, Object value, Function<ByteString, Object> decode) {
    ByteString current = map.get(key);
    if (current != null && value.equals(decode.apply(current))) {
      map.remove(key);
      return true;
    }
    return false;
  }

  synchronized ByteString replace(Object key, ByteString value) {
    return map.containsKey(key) ? map.put(key, value) : null;
  }

  synchronized boolean replaceIf(Object key, Object expected, ByteString value, Function<ByteString, Object> decode) {
    ByteString current = map.get(key);
    if (current != null && expected.equals(decode.apply(current))) {
      map.put(key, value);
      return true;
    }
    return false;
  }

  /** Keys (as given to {@code encodeKey}) and values, alternating. */
  synchronized List<ByteString> entries(Function<Object, ByteString> encodeKey) {
    List<ByteString> out = new ArrayList<>(map.size() * 2);
    map.forEach((k, v) -> {
      out.add(encodeKey.apply(k));
      out.add(v);
    });
    return out;
  }
}

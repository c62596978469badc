package dev.jobengine.master.internal;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A shared list of encoded values. Guarded by its own monitor; every method is one atomic step. */
final class ListState {
  private final List<ByteString> list = new ArrayList<>();

  synchronized ByteString get(int index) {
    return list.get(index);
  }

  synchronized ByteString set(int index, ByteString value) {
    return list.set(index, value);
  }

  /** Appends when {@code index} is negative. */
  synchronized void add(int index, ByteString value) {
    if (index < 0) {
      list.add(value);
    } else {
      list.add(index, value);
    }
  }

  synchronized ByteString removeAt(int index) {
    return list.remove(index);
  }

  synchronized int size() {
    return list.size();
  }

  synchronized void clear() {
    list.clear();
  }

  synchronized int indexOf(Object value, Function<ByteString, Object> decode) {
    for (int i = 0; i < list.size(); i++) {
      if (value.equals(decode.apply(list.get(i)))) {
        return i;
      }
    }
    return -1;
  }

  synchronized List<ByteString> snapshot() {
    return new ArrayList<>(list);
  }
}

package dev.jobengine.core.objects;

import com.google.protobuf.ByteString;
import dev.jobengine.SharedMap;
import dev.jobengine.proto.Invocation.Op;
import dev.jobengine.proto.Reply;
import java.io.Serializable;
import java.util.AbstractMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A map on the master (Python's {@code Manager().dict()}). Every call is one atomic step on the
 * master, so {@link #putIfAbsent}, {@link #replace} and the two-argument {@link #remove} are atomic
 * across processes, and so are the {@link java.util.concurrent.ConcurrentMap} defaults built on
 * them ({@code computeIfAbsent}, {@code merge}, ...; their functions run in the caller). {@link
 * #entrySet()} is a snapshot.
 */
public final class MapHandle<K, V> extends AbstractMap<K, V> implements SharedMap<K, V>, Serializable {
  private static final long serialVersionUID = 1L;

  private final HandleCore core;

  MapHandle(HandleCore core) {
    this.core = core;
  }

  private V optional(Reply r) {
    return r.getPresent() ? core.decode(r.getValues(0)) : null;
  }

  @Override
  public V get(Object key) {
    return optional(core.callNow(Op.GET, 0, core.encode(key)));
  }

  @Override
  public V put(K key, V value) {
    return optional(core.callNow(Op.PUT, 0, core.encode(key), core.encode(value)));
  }

  @Override
  public void set(K key, V value) {
    core.sendNow(Op.PUT, 0, core.encode(key), core.encode(value));
  }

  @Override
  public V remove(Object key) {
    return optional(core.callNow(Op.REMOVE, 0, core.encode(key)));
  }

  @Override
  public boolean containsKey(Object key) {
    return core.callNow(Op.CONTAINS_KEY, 0, core.encode(key)).getPresent();
  }

  @Override
  public boolean containsValue(Object value) {
    return core.callNow(Op.CONTAINS_VALUE, 0, core.encode(value)).getPresent();
  }

  @Override
  public int size() {
    return (int) core.callNow(Op.SIZE, 0).getNumber();
  }

  @Override
  public void clear() {
    core.callNow(Op.CLEAR, 0);
  }

  @Override
  public V putIfAbsent(K key, V value) {
    return optional(core.callNow(Op.PUT_IF_ABSENT, 0, core.encode(key), core.encode(value)));
  }

  @Override
  public boolean remove(Object key, Object value) {
    return core.callNow(Op.REMOVE_IF, 0, core.encode(key), core.encode(value)).getPresent();
  }

  @Override
  public V replace(K key, V value) {
    return optional(core.callNow(Op.REPLACE, 0, core.encode(key), core.encode(value)));
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    return core.callNow(Op.REPLACE_IF, 0, core.encode(key), core.encode(oldValue), core.encode(newValue))
        .getPresent();
  }

  /** A snapshot of the entries; changing it does not change the map. */
  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    List<ByteString> flat = core.callNow(Op.ENTRIES, 0).getValuesList();
    Set<Map.Entry<K, V>> out = new LinkedHashSet<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      K k = core.decode(flat.get(i));
      V v = core.decode(flat.get(i + 1));
      out.add(new AbstractMap.SimpleImmutableEntry<>(k, v));
    }
    return out;
  }

  @Override
  public String toString() {
    return core + " " + super.toString();
  }
}

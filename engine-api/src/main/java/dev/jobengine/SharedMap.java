package dev.jobengine;

import java.util.concurrent.ConcurrentMap;

/**
 * A map hosted by the master (Python's {@code Manager().dict()}). Each call is one atomic step on
 * the master, so {@code putIfAbsent}, {@code replace} and {@code remove(key, value)} are atomic
 * across processes, and so are the {@link ConcurrentMap} defaults built on them. Keys and values
 * go through the engine's codec; {@code entrySet()} is a snapshot. Null keys and values are refused
 * with {@link NullPointerException}, as {@link java.util.concurrent.ConcurrentHashMap} refuses them.
 * The functions of {@code compute}, {@code merge} and the like run in the caller, retried as the
 * {@link ConcurrentMap} defaults do.
 *
 * @param <K> the type of its keys
 * @param <V> the type of its values
 */
public interface SharedMap<K, V> extends ConcurrentMap<K, V> {
  /**
   * Maps {@code key} to {@code value}, as {@link #put} does, without returning the previous value
   * (as Hazelcast's {@code IMap.set}). So a worker need not wait for the master: the master
   * performs it in order with the process's later calls to it, and before a task's result or a
   * process's exit is reported. A value the codec cannot encode fails here, at once.
   *
   * @param key the key
   * @param value the value
   * @throws NullPointerException if {@code key} or {@code value} is null
   * @throws TaskSerializationException if the key or the value cannot be encoded
   */
  void set(K key, V value);
}

package dev.jobengine;

import java.util.concurrent.ConcurrentMap;

/**
 * A map hosted by the master (Python's {@code Manager().dict()}). Each call is one atomic step on
 * the master, so {@code putIfAbsent}, {@code replace} and {@code remove(key, value)} are atomic
 * across processes, and so are the {@link ConcurrentMap} defaults built on them. Keys and values
 * go through the engine's codec; {@code entrySet()} is a snapshot.
 */
public interface SharedMap<K, V> extends ConcurrentMap<K, V> {}

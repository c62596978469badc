package dev.jobengine;

import java.util.concurrent.ConcurrentMap;

/** A map hosted by the master; its atomic methods are atomic on the master. */
public interface SharedMap<K, V> extends ConcurrentMap<K, V> {}

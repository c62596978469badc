package dev.jobengine;

import java.util.List;

/**
 * A list hosted by the master (Python's {@code Manager().list()}); every call is one atomic step
 * on the master, and iteration walks a snapshot. Values go through the engine's codec.
 */
public interface SharedList<E> extends List<E> {}

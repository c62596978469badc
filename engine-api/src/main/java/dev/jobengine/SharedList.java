package dev.jobengine;

import java.util.List;

/**
 * A list hosted by the master (Python's {@code Manager().list()}); every call is one atomic step
 * on the master, and iteration walks a snapshot. Values go through the engine's codec; null is
 * refused with {@link NullPointerException}.
 *
 * @param <E> the type of its elements
 */
public interface SharedList<E> extends List<E> {}

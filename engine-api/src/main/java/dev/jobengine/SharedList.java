package dev.jobengine;

import java.util.List;

/** A list hosted by the master; every call is one atomic step on the master. */
public interface SharedList<E> extends List<E> {}

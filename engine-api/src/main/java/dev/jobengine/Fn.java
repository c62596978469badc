package dev.jobengine;

import java.io.Serializable;

/** A function applied to each item by {@link Pool#map} and friends; runs in a worker JVM. */
@FunctionalInterface
public interface Fn<T, R> extends Serializable {
  R apply(T t) throws Exception;
}

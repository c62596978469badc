package dev.jobengine;

import java.io.Serializable;

/**
 * A function applied to each item by {@link Pool#map} and friends; runs in a worker JVM. A
 * serializable lambda or class, as a {@link Task} is; items and results go through the engine's
 * {@link Codec}.
 *
 * @param <T> the type of the items
 * @param <R> the type of the results
 */
@FunctionalInterface
public interface Fn<T, R> extends Serializable {
  /**
   * Applies the function to one item, in a worker JVM.
   *
   * @param t the item
   * @return its result
   * @throws Exception anything; it fails the item's task (its whole chunk) with a {@link
   *     RemoteTaskException}
   */
  R apply(T t) throws Exception;
}

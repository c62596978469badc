package dev.jobengine;

/**
 * Receives a result or a failure in the master. Callbacks of a pool run one at a time, in
 * completion order, on the pool's own callback thread; a callback that throws is logged and
 * harms nothing else.
 */
@FunctionalInterface
public interface Callback<T> {
  void accept(T value);
}

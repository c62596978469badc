package dev.jobengine;

/**
 * Receives a result or a failure in the master. Callbacks of a pool run one at a time, in
 * completion order, on the pool's own callback thread; a callback that throws is logged and
 * harms nothing else.
 *
 * @param <T> the type of what it receives
 */
@FunctionalInterface
public interface Callback<T> {
  /**
   * Receives the value, on the pool's callback thread. It must not block for long (later callbacks
   * wait for it), and must not wait for a result of the same pool that is not ready ({@link
   * IllegalStateException}, see {@link AsyncResult}).
   *
   * @param value the task's result, or its failure
   */
  void accept(T value);
}

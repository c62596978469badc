package dev.jobengine;

/**
 * Python's {@code Pipe()}: two connected ends, made by {@link Engine#pipe(String)}; what one end
 * sends, the other receives, in order. Any process (or the master) may use either end; see {@link
 * Connection} for when an end closes.
 *
 * @param <E> the type of what goes through it
 */
public interface Pipe<E> {
  /**
   * One end: it receives what {@link #right()} sends, and sends to it.
   *
   * @return a handle to the left end
   */
  Connection<E> left();

  /**
   * The other end: it receives what {@link #left()} sends, and sends to it.
   *
   * @return a handle to the right end
   */
  Connection<E> right();
}

package dev.jobengine;

/** Python's {@code Pipe()}: what one end sends, the other receives. */
public interface Pipe<E> {
  Connection<E> left();

  Connection<E> right();
}

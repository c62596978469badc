package dev.jobengine;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** One end of a {@link Pipe}. */
public interface Connection<E> extends AutoCloseable {
  void send(E e);

  /** Throws {@link PipeClosedException} once the other end closed and everything was read. */
  E recv() throws InterruptedException;

  E recv(Duration timeout) throws InterruptedException, TimeoutException;

  boolean poll(Duration timeout) throws InterruptedException;

  @Override
  void close();
}

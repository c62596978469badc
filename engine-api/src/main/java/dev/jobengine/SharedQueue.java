package dev.jobengine;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeoutException;

/** A queue hosted by the master, usable from every process of the engine. */
public interface SharedQueue<E> extends BlockingQueue<E> {
  E get(Duration timeout) throws InterruptedException, TimeoutException;

  E getNowait();

  void putNowait(E e);

  boolean isFull();

  void close();
}

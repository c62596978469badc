package dev.jobengine;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeoutException;

/**
 * The iterator returned by {@link Pool#imap} and {@link Pool#imapUnordered}. {@link #next()} blocks
 * until the next result is there; a failed item throws its failure, wrapped in a {@link
 * JobEngineException} subclass ({@link RemoteTaskException}, {@link WorkerLostException}, ...).
 */
public interface ResultIterator<R> extends Iterator<R> {
  /** Like {@link #next()} but waits at most {@code timeout} (Python's {@code next(timeout)}). */
  R next(Duration timeout) throws InterruptedException, TimeoutException;

  /**
   * How far the map has got, in items: those whose chunk's outcome has arrived in the master
   * (consumed by {@link #next()} or not), those read from the source and submitted so far, and
   * the total: the size of {@code items} when it is a {@link java.util.Collection}, else {@link
   * Progress#UNKNOWN} until the source is exhausted (then the number read).
   *
   * <p>Cheap and thread-safe: it reads counters and waits for nothing, so another thread may
   * poll it while the consumer iterates.
   */
  default Progress progress() {
    return new Progress(0, 0, Progress.UNKNOWN);
  }
}

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
}

package dev.jobengine;

import java.util.OptionalDouble;

/**
 * How far a map has got, counted in items (the elements of the {@code items} given to {@link
 * Pool#map}, {@link Pool#mapAsync} or {@link Pool#imap}), not in chunks. A snapshot: the counts
 * were read at one moment and do not change.
 *
 * @param completedItems items whose results (or their chunk's failure) have arrived in the master;
 *     an item counts once its chunk finished in a worker, whether or not anyone has read it yet
 * @param submittedItems items handed to the pool so far: all of them for {@code map} and {@code
 *     mapAsync}; for {@code imap}, those read from the source so far (a bounded window ahead of
 *     the consumer)
 * @param totalItems all the items, or {@link #UNKNOWN} while an {@code imap} over an iterable that
 *     is not a {@link java.util.Collection} has not reached its end
 */
public record Progress(long completedItems, long submittedItems, long totalItems) {
  /** {@link #totalItems()} when the number of items is not known yet. */
  public static final long UNKNOWN = -1;

  /**
   * The share of the items completed.
   *
   * @return from 0 to 1; empty while the total is unknown
   */
  public OptionalDouble fraction() {
    if (totalItems == UNKNOWN) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(totalItems == 0 ? 1.0 : (double) completedItems / totalItems);
  }

  /**
   * Whether every item has completed.
   *
   * @return true once the total is known and that many items have completed
   */
  public boolean done() {
    return totalItems != UNKNOWN && completedItems >= totalItems;
  }
}

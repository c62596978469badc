package dev.jobengine.master.internal.objects.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one shared object holds now, for status reports: read under the object's monitor in one
 * step, so its numbers agree with each other.
 *
 * @param items items in a queue, map or list, or waiting in a pipe; -1 where that does not apply
 * @param waiters blocked calls
 * @param holders per session, the part it holds: a lock's holds, permits, items taken or read
 *     ahead, pipe ends; sessions in ascending order
 * @param counts what else the kind has (available permits, unfinished items, ...), in a fixed order
 */
public record Summary(long items, int waiters, Map<Long, Long> holders, Map<String, Long> counts) {
  public Summary {
    holders = Collections.unmodifiableMap(new TreeMap<>(holders));
    counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
  }

  /** No holders and nothing else to count. */
  static Summary of(long items, int waiters) {
    return new Summary(items, waiters, Map.of(), Map.of());
  }
}

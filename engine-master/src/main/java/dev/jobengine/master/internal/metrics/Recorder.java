package dev.jobengine.master.internal.metrics;

/**
 * Takes one measured duration, in nanoseconds: a task's latency, a lock's wait. Installed only
 * while something listens (a bound meter registry), so that unmeasured paths pay one volatile read.
 */
@FunctionalInterface
public interface Recorder {
  void record(long nanos);

  /** Both, this one first (each registry bound adds its own). */
  default Recorder andThen(Recorder next) {
    return nanos -> {
      record(nanos);
      next.record(nanos);
    };
  }

  /** {@code current} followed by {@code next}; {@code next} alone when {@code current} is null. */
  static Recorder append(Recorder current, Recorder next) {
    return current == null ? next : current.andThen(next);
  }
}

package dev.jobengine.master.internal.metrics;

/** An engine of this implementation (embedded, daemon or client): where its counts are. */
public interface Instrumented {
  EngineCounters counters();
}

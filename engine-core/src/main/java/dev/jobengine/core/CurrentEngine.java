package dev.jobengine.core;

import dev.jobengine.Engine;

/**
 * What {@link Engine#current()} returns: in a worker JVM, the engine the worker belongs to, set by
 * the worker runtime as it connects; nothing elsewhere. The master's provider reads it here, so it
 * needs nothing of the worker runtime.
 */
public final class CurrentEngine {
  private static volatile Engine current;

  private CurrentEngine() {}

  /** Set once by the worker runtime. */
  public static void set(Engine engine) {
    current = engine;
  }

  /** The engine of this worker JVM, or null outside a worker. */
  public static Engine get() {
    return current;
  }
}

package dev.jobengine;

import java.time.Duration;
import java.util.OptionalInt;

/** A single process running a {@link Job} in its own JVM (Python's {@code Process}). */
public interface EngineProcess {
  EngineProcess name(String name);

  EngineProcess daemon(boolean daemon);

  EngineProcess start();

  String name();

  boolean isDaemon();

  long pid();

  boolean isAlive();

  void join() throws InterruptedException;

  boolean join(Duration timeout) throws InterruptedException;

  /** Empty while running; 0 ok, 1 uncaught exception, -N killed by signal N. */
  OptionalInt exitCode();

  void terminate();

  void kill();
}

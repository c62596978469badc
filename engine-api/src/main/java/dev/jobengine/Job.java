package dev.jobengine;

import java.io.Serializable;

/**
 * The body of an {@link EngineProcess}; runs in its own JVM. A serializable lambda or class, as a
 * {@link Task} is.
 */
@FunctionalInterface
public interface Job extends Serializable {
  /**
   * Runs the job, in the process's JVM, which then exits with 0.
   *
   * @throws Exception anything; the JVM prints its stack trace to stderr and exits with 1
   */
  void run() throws Exception;
}

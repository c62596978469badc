package dev.jobengine;

import java.io.Serializable;

/**
 * A unit of work run in a worker JVM. A serializable lambda or a class on the workers' class path;
 * everything it captures travels with it.
 *
 * @param <R> the result type; the result must be encodable by the engine's {@link Codec}
 */
@FunctionalInterface
public interface Task<R> extends Serializable {
  /**
   * Runs the task, in a worker JVM.
   *
   * @return the result, sent back to the master
   * @throws Exception anything; it fails the task with a {@link RemoteTaskException}
   */
  R call() throws Exception;
}

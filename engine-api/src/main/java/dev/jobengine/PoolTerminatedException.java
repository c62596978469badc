package dev.jobengine;

/** The pool was terminated (or its engine closed) before the task completed. */
public class PoolTerminatedException extends JobEngineException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with {@code message}.
   *
   * @param message what went wrong
   */
  public PoolTerminatedException(String message) {
    super(message);
  }
}

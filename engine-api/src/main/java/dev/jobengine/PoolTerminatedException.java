package dev.jobengine;

/** The pool was terminated (or its engine closed) before the task completed. */
public class PoolTerminatedException extends JobEngineException {
  private static final long serialVersionUID = 1L;

  public PoolTerminatedException(String message) {
    super(message);
  }
}

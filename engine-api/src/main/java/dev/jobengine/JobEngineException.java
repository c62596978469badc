package dev.jobengine;

/** Base class of the engine's own exceptions. */
public class JobEngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JobEngineException(String message) {
    super(message);
  }

  public JobEngineException(String message, Throwable cause) {
    super(message, cause);
  }
}

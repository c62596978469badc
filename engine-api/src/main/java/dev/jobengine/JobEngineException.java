package dev.jobengine;

/** Base class of the engine's own exceptions. */
public class JobEngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with {@code message}.
   *
   * @param message what went wrong
   */
  public JobEngineException(String message) {
    super(message);
  }

  /**
   * An exception with {@code message} and {@code cause}.
   *
   * @param message what went wrong
   * @param cause what caused it, or null
   */
  public JobEngineException(String message, Throwable cause) {
    super(message, cause);
  }
}

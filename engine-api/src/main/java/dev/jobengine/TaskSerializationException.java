package dev.jobengine;

/**
 * A task, its items or its result could not be encoded or decoded, or is larger than the payload
 * limit. For the task itself this is thrown by the submitting call, before anything is sent; for a
 * result it fails that task only.
 */
public class TaskSerializationException extends JobEngineException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with {@code message}.
   *
   * @param message what went wrong
   */
  public TaskSerializationException(String message) {
    super(message);
  }

  /**
   * An exception with {@code message} and {@code cause}.
   *
   * @param message what went wrong
   * @param cause what caused it, or null
   */
  public TaskSerializationException(String message, Throwable cause) {
    super(message, cause);
  }
}

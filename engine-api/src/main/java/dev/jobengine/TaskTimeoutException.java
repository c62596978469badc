package dev.jobengine;

/**
 * The task ran longer than its pool's {@link PoolOptions#taskTimeout()}; its worker was killed and
 * replaced. Not retried.
 */
public class TaskTimeoutException extends JobEngineException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with {@code message}.
   *
   * @param message what went wrong
   */
  public TaskTimeoutException(String message) {
    super(message);
  }
}

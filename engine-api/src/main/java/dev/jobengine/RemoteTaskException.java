package dev.jobengine;

/**
 * A task threw in a worker. Carries the remote exception's class name, message and stack trace as
 * text; {@link #getCause()} is the original exception when it could be transferred and decoded,
 * otherwise null.
 */
public class RemoteTaskException extends JobEngineException {
  private static final long serialVersionUID = 1L;

  /** See {@link #remoteClassName()}. */
  private final String remoteClassName;
  /** See {@link #remoteMessage()}. */
  private final String remoteMessage;
  /** See {@link #remoteStackTrace()}. */
  private final String remoteStackTrace;

  /**
   * An exception for a task that threw {@code remoteClassName} in a worker. Its message is the
   * class name, then {@code ": "} and the remote message if there is one.
   *
   * @param remoteClassName the fully qualified class name of the exception thrown in the worker
   * @param remoteMessage its message, or null
   * @param remoteStackTrace its stack trace as the worker printed it
   * @param original the exception itself, decoded in the master, or null
   */
  public RemoteTaskException(
      String remoteClassName, String remoteMessage, String remoteStackTrace, Throwable original) {
    super(remoteClassName + (remoteMessage == null ? "" : ": " + remoteMessage), original);
    this.remoteClassName = remoteClassName;
    this.remoteMessage = remoteMessage;
    this.remoteStackTrace = remoteStackTrace;
  }

  /**
   * The class of the exception thrown in the worker.
   *
   * @return its fully qualified class name
   */
  public String remoteClassName() {
    return remoteClassName;
  }

  /**
   * The message of the exception thrown in the worker.
   *
   * @return the message, or null if it had none
   */
  public String remoteMessage() {
    return remoteMessage;
  }

  /**
   * The stack trace of the exception thrown in the worker.
   *
   * @return the stack trace as the worker printed it, with causes
   */
  public String remoteStackTrace() {
    return remoteStackTrace;
  }
}

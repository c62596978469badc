package dev.jobengine;

/**
 * A task threw in a worker. Carries the remote exception's class name, message and stack trace as
 * text; {@link #getCause()} is the original exception when it could be transferred and decoded,
 * otherwise null.
 */
public class RemoteTaskException extends JobEngineException {
  private static final long serialVersionUID = 1L;

  private final String remoteClassName;
  private final String remoteMessage;
  private final String remoteStackTrace;

  public RemoteTaskException(
      String remoteClassName, String remoteMessage, String remoteStackTrace, Throwable original) {
    super(remoteClassName + (remoteMessage == null ? "" : ": " + remoteMessage), original);
    this.remoteClassName = remoteClassName;
    this.remoteMessage = remoteMessage;
    this.remoteStackTrace = remoteStackTrace;
  }

  /** The fully qualified class name of the exception thrown in the worker. */
  public String remoteClassName() {
    return remoteClassName;
  }

  /** Its message, or null. */
  public String remoteMessage() {
    return remoteMessage;
  }

  /** Its stack trace as the worker printed it (with causes). */
  public String remoteStackTrace() {
    return remoteStackTrace;
  }
}

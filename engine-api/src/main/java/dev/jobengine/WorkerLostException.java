package dev.jobengine;

/** The worker JVM running the task died (killed, crashed, or exited) before returning a result. */
public class WorkerLostException extends JobEngineException {
  private static final long serialVersionUID = 1L;

  public WorkerLostException(String message) {
    super(message);
  }
}

package dev.jobengine;

/**
 * The worker JVM running the task died (killed, crashed, exited, or stopped answering) before
 * returning a result. The message names the worker's pid, how it ended (exit status or signal, or
 * why the master killed it) and the last lines of its stderr.
 */
public class WorkerLostException extends JobEngineException {
  private static final long serialVersionUID = 1L;

  private final long pid;

  public WorkerLostException(String message) {
    this(message, -1);
  }

  /** {@code pid}: the lost worker's, or -1 if it is unknown (no single worker was lost). */
  public WorkerLostException(String message, long pid) {
    super(message);
    this.pid = pid;
  }

  /** The pid of the worker that was lost, or -1 when the failure is not one worker's. */
  public long pid() {
    return pid;
  }
}

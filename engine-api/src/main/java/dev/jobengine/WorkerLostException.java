package dev.jobengine;

/**
 * The worker JVM running the task died (killed, crashed, exited, or stopped answering) before
 * returning a result. The message names the worker's pid, how it ended (exit status or signal, or
 * why the master killed it) and the last lines of its stderr.
 */
public class WorkerLostException extends JobEngineException {
  private static final long serialVersionUID = 1L;

  /** See {@link #pid()}. */
  private final long pid;

  /**
   * An exception with {@code message}, for no single known worker ({@link #pid()} is -1).
   *
   * @param message what went wrong
   */
  public WorkerLostException(String message) {
    this(message, -1);
  }

  /**
   * An exception with {@code message}, for the worker {@code pid}.
   *
   * @param message what went wrong: the worker, how it ended, the last lines of its stderr
   * @param pid the lost worker's pid, or -1 if it is unknown (no single worker was lost)
   */
  public WorkerLostException(String message, long pid) {
    super(message);
    this.pid = pid;
  }

  /**
   * The pid of the worker that was lost.
   *
   * @return the pid, or -1 when the failure is not one worker's (a broken pool)
   */
  public long pid() {
    return pid;
  }
}

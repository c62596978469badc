package dev.jobengine;

/** The other end of a {@link Pipe} was closed and everything it sent has been read. */
public class PipeClosedException extends JobEngineException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with {@code message}.
   *
   * @param message what went wrong
   */
  public PipeClosedException(String message) {
    super(message);
  }
}

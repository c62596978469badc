package dev.jobengine;

/** The other end of a {@link Pipe} was closed and everything it sent has been read. */
public class PipeClosedException extends JobEngineException {
  private static final long serialVersionUID = 1L;

  public PipeClosedException(String message) {
    super(message);
  }
}

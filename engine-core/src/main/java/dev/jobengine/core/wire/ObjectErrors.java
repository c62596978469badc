package dev.jobengine.core.wire;

import dev.jobengine.JobEngineException;
import dev.jobengine.PipeClosedException;
import dev.jobengine.TaskSerializationException;
import dev.jobengine.proto.ObjectError;
import dev.jobengine.proto.ObjectError.Code;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BrokenBarrierException;
import java.util.function.Function;

/**
 * The one table between the exceptions of shared-object operations and their {@link Code}s: the
 * master turns what an operation threw into an error, and the calling handle turns the error back
 * into an exception of the same type with the same message. An exception the table does not know
 * travels as {@link Code#UNKNOWN} and comes back as a {@link JobEngineException} naming its class.
 */
public final class ObjectErrors {
  /** One row: a code, the exception type it stands for (null: none), and how to make one in the caller. */
  private record Row(Code code, Class<? extends Throwable> type, Function<String, RuntimeException> make) {}

  /** In matching order: a subclass before its superclass. */
  private static final List<Row> TABLE = List.of(
      new Row(Code.PIPE_CLOSED, PipeClosedException.class, PipeClosedException::new),
      new Row(Code.NOT_SERIALIZABLE, TaskSerializationException.class, TaskSerializationException::new),
      new Row(Code.ILLEGAL_MONITOR_STATE, IllegalMonitorStateException.class, IllegalMonitorStateException::new),
      new Row(Code.ILLEGAL_STATE, IllegalStateException.class, IllegalStateException::new),
      new Row(Code.ILLEGAL_ARGUMENT, IllegalArgumentException.class, IllegalArgumentException::new),
      new Row(Code.NO_SUCH_ELEMENT, NoSuchElementException.class, NoSuchElementException::new),
      new Row(Code.INDEX_OUT_OF_BOUNDS, IndexOutOfBoundsException.class, IndexOutOfBoundsException::new),
      new Row(Code.NULL_POINTER, NullPointerException.class, NullPointerException::new),
      new Row(Code.BROKEN_BARRIER, BrokenBarrierException.class, BrokenBarrier::new),
      // made by the caller's side when its stream to the master breaks: no exception maps to it
      new Row(Code.CONNECTION_LOST, null, JobEngineException::new));

  private ObjectErrors() {}

  /** The error for what an operation threw. */
  public static ObjectError of(Throwable t) {
    for (Row row : TABLE) {
      if (row.type != null && row.type.isInstance(t)) {
        return error(row.code, String.valueOf(t.getMessage()));
      }
    }
    return error(Code.UNKNOWN, t.getClass().getName() + ": " + t.getMessage());
  }

  public static ObjectError error(Code code, String message) {
    return ObjectError.newBuilder().setCode(code).setMessage(message).build();
  }

  /**
   * The exception to raise in the caller. A broken barrier comes as {@link BrokenBarrier}, to be
   * unwrapped where {@link BrokenBarrierException} (a checked exception) may be thrown.
   */
  public static RuntimeException toException(ObjectError e) {
    for (Row row : TABLE) {
      if (row.code == e.getCode()) {
        return row.make.apply(e.getMessage());
      }
    }
    return new JobEngineException(e.getMessage());
  }

  /** {@link BrokenBarrierException}, carried unchecked until the barrier's handle unwraps it. */
  public static final class BrokenBarrier extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BrokenBarrier(String message) {
      super(message);
    }

    public BrokenBarrierException unwrap() {
      return new BrokenBarrierException(getMessage());
    }
  }
}

package dev.jobengine.core.wire;

import com.google.protobuf.ByteString;
import dev.jobengine.JobEngineException;
import dev.jobengine.RemoteTaskException;
import dev.jobengine.TaskSerializationException;
import dev.jobengine.proto.Failure;
import java.io.PrintWriter;
import java.io.StringWriter;

/** A task failure as data: Throwable -> {@link Failure} in the worker, and back in the master. */
public final class Failures {
  private Failures() {}

  /** Describes {@code t}; the exception itself is attached when the codec can encode it. */
  public static Failure describe(Throwable t, Failure.Kind kind, Payloads payloads) {
    Failure.Builder b =
        Failure.newBuilder()
            .setKind(kind)
            .setClassName(t.getClass().getName())
            .setStackTrace(stackTrace(t));
    if (t.getMessage() != null) {
      b.setMessage(t.getMessage());
    }
    try {
      b.setException(payloads.encode(t, "exception " + t.getClass().getName()));
    } catch (RuntimeException notEncodable) {
      b.setException(ByteString.EMPTY);
    }
    return b.build();
  }

  /** The master-side exception for a failure reported by a worker. */
  public static JobEngineException toException(Failure f, Payloads payloads) {
    String message = f.getMessage().isEmpty() ? null : f.getMessage();
    if (f.getKind() != Failure.Kind.TASK_THREW) {
      return new TaskSerializationException(
          (message == null ? f.getClassName() : message) + " (in the worker)");
    }
    Throwable original = null;
    if (!f.getException().isEmpty()) {
      try {
        Object o = payloads.decode(f.getException(), "exception " + f.getClassName());
        if (o instanceof Throwable) {
          original = (Throwable) o;
        }
      } catch (RuntimeException ignored) {
        // the class is not known here or cannot be decoded: class name, message and stack remain
      }
    }
    return new RemoteTaskException(f.getClassName(), message, f.getStackTrace(), original);
  }

  public static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}

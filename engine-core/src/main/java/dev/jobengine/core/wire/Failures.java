package dev.jobengine.core.wire;

import com.google.protobuf.ByteString;
import dev.jobengine.JobEngineException;
import dev.jobengine.RemoteTaskException;
import dev.jobengine.TaskSerializationException;
import dev.jobengine.proto.Failure;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * A task failure as data: Throwable -> {@link Failure} in the worker, and back in the master.
 *
 * <p>A description always fits well within the payload limit, whatever the exception holds: the
 * message is cut to {@value #MAX_MESSAGE_CHARS} chars and the stack trace (with its causes and
 * suppressed exceptions) to {@value #MAX_STACK_TRACE_CHARS} chars, each at most a sixteenth of
 * the limit, with a marker saying how much was cut; the encoded exception is attached only when
 * it fits in a quarter of the limit. In UTF-8 a char takes at most 3 bytes, so the whole
 * description stays under about 13/16 of the limit.
 */
public final class Failures {
  /** Longest message sent, in chars (less under a small payload limit). */
  public static final int MAX_MESSAGE_CHARS = 64 << 10;
  /** Longest stack trace sent, in chars (less under a small payload limit). */
  public static final int MAX_STACK_TRACE_CHARS = 256 << 10;

  private Failures() {}

  /** Describes {@code t}; the exception itself is attached when the codec can encode it small enough. */
  public static Failure describe(Throwable t, Failure.Kind kind, Payloads payloads) {
    int limit = payloads.maxBytes();
    Failure.Builder b =
        Failure.newBuilder()
            .setKind(kind)
            .setClassName(cut(t.getClass().getName(), 1024))
            .setStackTrace(stackTrace(t, Math.min(MAX_STACK_TRACE_CHARS, limit / 16)));
    String message = messageOf(t);
    if (message != null) {
      b.setMessage(cut(message, Math.min(MAX_MESSAGE_CHARS, limit / 16)));
    }
    try {
      b.setException(payloads.encode(t, "exception " + t.getClass().getName(), limit / 4));
    } catch (RuntimeException | StackOverflowError notEncodable) {
      b.setException(ByteString.EMPTY); // cannot be encoded, or not in a quarter of the limit
    }
    return b.build();
  }

  /** The master-side exception for a failure reported by a worker. */
  public static JobEngineException toException(Failure f, Payloads payloads) {
    String message = f.getMessage().isEmpty() ? null : f.getMessage();
    if (f.getKind() == Failure.Kind.ENGINE_ERROR) {
      if (!f.getException().isEmpty()) {
        try {
          if (payloads.decode(f.getException(), "exception " + f.getClassName()) instanceof JobEngineException e) {
            return e;
          }
        } catch (RuntimeException ignored) {
          // described below
        }
      }
      return new JobEngineException(f.getClassName() + ": " + message);
    }
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

  /** The whole stack trace of {@code t}, as {@link Throwable#printStackTrace()} prints it. */
  public static String stackTrace(Throwable t) {
    return stackTrace(t, Integer.MAX_VALUE);
  }

  /**
   * The stack trace of {@code t} cut to {@code maxChars} chars (plus a marker saying how many were
   * cut); what lies beyond is counted, never held.
   */
  public static String stackTrace(Throwable t, int maxChars) {
    BoundedWriter w = new BoundedWriter(maxChars);
    PrintWriter out = new PrintWriter(w);
    try {
      t.printStackTrace(out);
    } catch (RuntimeException | StackOverflowError e) {
      out.print("\n[printing the stack trace failed: " + e.getClass().getName() + "]");
    }
    out.flush();
    return w.text();
  }

  /** {@code s}, or its first {@code maxChars} chars followed by a marker naming how many were cut. */
  static String cut(String s, int maxChars) {
    if (s.length() <= maxChars) {
      return s;
    }
    int keep = maxChars;
    if (keep > 0 && Character.isHighSurrogate(s.charAt(keep - 1))) {
      keep--; // never split a surrogate pair
    }
    return s.substring(0, keep) + marker(s.length() - keep);
  }

  private static String marker(long cutChars) {
    return "... [" + cutChars + " more chars cut]";
  }

  private static String messageOf(Throwable t) {
    try {
      return t.getMessage();
    } catch (RuntimeException e) {
      return "[getMessage() threw " + e.getClass().getName() + "]";
    }
  }

  /** Keeps the first chars written, counts the rest. */
  private static final class BoundedWriter extends Writer {
    private final int max;
    private final StringBuilder kept = new StringBuilder();
    private long dropped;

    BoundedWriter(int max) {
      this.max = max;
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
      int room = Math.max(0, Math.min(len, max - kept.length()));
      kept.append(cbuf, off, room);
      dropped += len - room;
    }

    @Override
    public void write(String str, int off, int len) {
      int room = Math.max(0, Math.min(len, max - kept.length()));
      kept.append(str, off, off + room);
      dropped += len - room;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    String text() {
      if (dropped == 0) {
        return kept.toString();
      }
      int keep = kept.length();
      if (keep > 0 && Character.isHighSurrogate(kept.charAt(keep - 1))) {
        keep--;
        dropped++;
      }
      return kept.substring(0, keep) + marker(dropped);
    }
  }
}

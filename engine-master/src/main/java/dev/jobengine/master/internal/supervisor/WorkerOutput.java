package dev.jobengine.master.internal.supervisor;

import dev.jobengine.PoolOptions;
import dev.jobengine.core.NamedThreadFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's standard output and error, read through pipes by one daemon thread per stream
 * ({@code jobengine-worker-output}), whatever the {@link PoolOptions.Output} mode: {@code INHERIT}
 * copies the bytes to the master's {@code System.out} and {@code System.err} (the Java streams,
 * looked up on every write, so test runners and IDE consoles capture them), flushing after each
 * read; {@code LOG} logs lines of at most {@value #MAX_LOG_LINE_BYTES} bytes to {@code
 * dev.jobengine.worker.output} with the worker's prefix (a longer line is logged in pieces marked
 * as continued); {@code DISCARD} reads and drops.
 *
 * <p>In every mode it keeps the last {@value #TAIL_LINES} lines of the worker's stderr, each cut
 * to {@value #TAIL_LINE_CHARS} chars, for the messages that say why a worker died or did not start.
 * Memory is bounded whatever the worker writes (a line without end, binary garbage), and a failing
 * sink never stops the reading.
 */
public final class WorkerOutput {
  private static final Logger outputLog = LoggerFactory.getLogger("dev.jobengine.worker.output");

  static final int MAX_LOG_LINE_BYTES = 8 << 10;
  static final int TAIL_LINES = 20;
  static final int TAIL_LINE_CHARS = 500;
  private static final int BUFFER = 8 << 10;
  static final String CONTINUED = " [line continues]";

  /** Lines of stdout kept too: a JVM that cannot start says why on its stdout. */
  static final int STDOUT_TAIL_LINES = 10;

  private final ArrayDeque<String> tail = new ArrayDeque<>(); // guarded by itself
  private final ArrayDeque<String> stdoutTail = new ArrayDeque<>(); // guarded by itself
  private final Thread stdoutThread;
  private final Thread stderrThread;

  private WorkerOutput(
      InputStream stdout, InputStream stderr, PoolOptions.Output mode,
      Supplier<PrintStream> out, Supplier<PrintStream> err, Consumer<String> log) {
    Lines tailLines = new Lines(TAIL_LINE_CHARS, false, line -> add(tail, TAIL_LINES, line));
    Lines stdoutLines = new Lines(TAIL_LINE_CHARS, false, line -> add(stdoutTail, STDOUT_TAIL_LINES, line));
    switch (mode) {
      case INHERIT -> {
        stdoutThread = pump(stdout, mirror(out), stdoutLines);
        stderrThread = pump(stderr, mirror(err), tailLines);
      }
      case LOG -> {
        stdoutThread = pump(stdout, new Lines(MAX_LOG_LINE_BYTES, true, log), stdoutLines);
        stderrThread = pump(stderr, new Lines(MAX_LOG_LINE_BYTES, true, log), tailLines);
      }
      default -> {
        stdoutThread = pump(stdout, null, stdoutLines);
        stderrThread = pump(stderr, null, tailLines);
      }
    }
  }

  /** Starts reading {@code process}'s stdout and stderr; {@code prefix} starts every logged line. */
  public static WorkerOutput start(Process process, PoolOptions.Output mode, String prefix) {
    return start(process.getInputStream(), process.getErrorStream(), mode,
        () -> System.out, () -> System.err, line -> outputLog.info("{}{}", prefix, line));
  }

  /** As {@link #start(Process, PoolOptions.Output, String)}, with the sinks given (for tests). */
  static WorkerOutput start(
      InputStream stdout, InputStream stderr, PoolOptions.Output mode,
      Supplier<PrintStream> out, Supplier<PrintStream> err, Consumer<String> log) {
    return new WorkerOutput(stdout, stderr, mode, out, err, log);
  }

  /** The last lines the worker wrote to stderr, oldest first, each at most about 500 chars. */
  public List<String> stderrTail() {
    synchronized (tail) {
      return List.copyOf(tail);
    }
  }

  /** The last {@value #STDOUT_TAIL_LINES} lines the worker wrote to stdout, oldest first. */
  public List<String> stdoutTail() {
    synchronized (stdoutTail) {
      return List.copyOf(stdoutTail);
    }
  }

  /** Waits until both streams have ended (the worker is gone and all it wrote was read). */
  boolean awaitEnd(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    for (Thread t : List.of(stdoutThread, stderrThread)) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return !stdoutThread.isAlive() && !stderrThread.isAlive();
      }
      t.join(left);
    }
    return !stdoutThread.isAlive() && !stderrThread.isAlive();
  }

  private static void add(ArrayDeque<String> lines, int max, String line) {
    synchronized (lines) {
      if (lines.size() == max) {
        lines.removeFirst();
      }
      lines.addLast(line);
    }
  }

  /** Something bytes go to. */
  private interface Sink {
    void write(byte[] b, int len);

    default void end() {}
  }

  private static Sink mirror(Supplier<PrintStream> target) {
    return (b, len) -> {
      PrintStream s = target.get();
      s.write(b, 0, len);
      s.flush();
    };
  }

  private static Thread pump(InputStream in, Sink sink, Sink tail) {
    return NamedThreadFactory.start("jobengine-worker-output", true, () -> {
      byte[] buf = new byte[BUFFER];
      Sink[] sinks = {sink, tail};
      try (in) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          for (Sink s : sinks) {
            if (s != null) {
              try {
                s.write(buf, n);
              } catch (RuntimeException e) {
                // a sink that fails (a closed console, a logger) does not stop the reading
              }
            }
          }
        }
      } catch (IOException gone) {
        // the worker is gone
      } finally {
        for (Sink s : sinks) {
          if (s != null) {
            try {
              s.end();
            } catch (RuntimeException ignored) {
              // as above
            }
          }
        }
      }
    });
  }

  /**
   * Cuts bytes into lines of at most {@code max} bytes, decoded as UTF-8 (malformed input becomes
   * U+FFFD). A longer line is either split, each piece but the last marked {@link #CONTINUED}, or
   * cut, its rest skipped until the next line.
   */
  static final class Lines implements Sink {
    private final byte[] line;
    private final boolean split;
    private final Consumer<String> out;
    private int length;
    private boolean skipping;

    Lines(int max, boolean split, Consumer<String> out) {
      this.line = new byte[max];
      this.split = split;
      this.out = out;
    }

    @Override
    public void write(byte[] b, int len) {
      for (int i = 0; i < len; i++) {
        byte c = b[i];
        if (c == '\n') {
          if (!skipping) {
            emit(length, "");
          }
          length = 0;
          skipping = false;
        } else if (!skipping) {
          if (length == line.length) {
            overflow(c);
          }
          if (!skipping) {
            line[length++] = c;
          }
        }
      }
    }

    /** The line is full and {@code next} does not fit: hand it on, never splitting a UTF-8 sequence. */
    private void overflow(byte next) {
      int cut = length;
      if ((next & 0xC0) == 0x80) { // next continues a sequence: cut before the sequence's lead byte
        int k = length - 1;
        while (k > 0 && k > length - 4 && (line[k] & 0xC0) == 0x80) {
          k--;
        }
        if ((line[k] & 0xC0) == 0xC0 && k > 0) {
          cut = k;
        }
      }
      if (split) {
        emit(cut, CONTINUED);
        System.arraycopy(line, cut, line, 0, length - cut);
        length -= cut;
      } else {
        emit(cut, " ...");
        length = 0;
        skipping = true;
      }
    }

    private void emit(int n, String suffix) {
      int end = n;
      if (end > 0 && line[end - 1] == '\r') {
        end--;
      }
      try {
        out.accept(new String(line, 0, end, StandardCharsets.UTF_8) + suffix);
      } catch (RuntimeException e) {
        // a failing logger loses this line, not the ones after it
      }
    }

    @Override
    public void end() {
      if (length > 0 && !skipping) {
        emit(length, "");
      }
      length = 0;
    }
  }
}

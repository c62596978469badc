package dev.jobengine.master.internal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobengine.PoolOptions.Output;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkerOutputTest {
  private static final long WAIT_MILLIS = 60_000;

  /** {@code n} bytes of {@code b}, made as they are read: nothing of that size exists at once. */
  private static InputStream repeated(byte b, long n) {
    return new InputStream() {
      private long left = n;

      @Override
      public int read() {
        return left-- > 0 ? b & 0xFF : -1;
      }

      @Override
      public int read(byte[] buf, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int k = (int) Math.min(len, left);
        java.util.Arrays.fill(buf, off, off + k, b);
        left -= k;
        return k;
      }
    };
  }

  private static InputStream text(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private static InputStream concat(InputStream... parts) {
    return new SequenceInputStream(java.util.Collections.enumeration(List.of(parts)));
  }

  private static String lines(int from, int to) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < to; i++) {
      b.append("line ").append(i).append('\n');
    }
    return b.toString();
  }

  private static final PrintStream NOWHERE = new PrintStream(java.io.OutputStream.nullOutputStream());

  @Test
  void aHugeLineWithoutNewlineIsLoggedInBoundedPiecesAndLaterLinesStillArrive() throws Exception {
    long huge = 300L << 20;
    ConcurrentLinkedQueue<String> logged = new ConcurrentLinkedQueue<>();
    AtomicLong loggedChars = new AtomicLong();
    AtomicLong longest = new AtomicLong();
    WorkerOutput output = WorkerOutput.start(
        concat(repeated((byte) 'a', huge), text("\nafter\n")),
        concat(repeated((byte) 'e', huge), text("\n" + lines(0, 30))),
        Output.LOG, () -> NOWHERE, () -> NOWHERE, line -> {
          loggedChars.addAndGet(line.length());
          longest.accumulateAndGet(line.length(), Math::max);
          if (!line.startsWith("aaaa") && !line.startsWith("eeee")) {
            logged.add(line);
          }
        });

    assertThat(output.awaitEnd(WAIT_MILLIS)).isTrue();
    assertThat(longest.get()).isLessThanOrEqualTo(WorkerOutput.MAX_LOG_LINE_BYTES + WorkerOutput.CONTINUED.length());
    assertThat(logged).contains("after", "line 0", "line 29");
    assertThat(loggedChars.get()).isGreaterThan(2 * huge); // nothing was dropped
    List<String> tail = output.stderrTail();
    assertThat(tail).hasSize(WorkerOutput.TAIL_LINES).startsWith("line 10").endsWith("line 29");
  }

  @Test
  void theTailKeepsTheLastLinesEachCut() throws Exception {
    String longLine = "x".repeat(10_000);
    WorkerOutput output = WorkerOutput.start(text(""), text(lines(0, 5) + longLine + "\nlast\nunterminated"),
        Output.DISCARD, () -> NOWHERE, () -> NOWHERE, line -> { });

    assertThat(output.awaitEnd(WAIT_MILLIS)).isTrue();
    List<String> tail = output.stderrTail();
    assertThat(tail).containsExactly("line 0", "line 1", "line 2", "line 3", "line 4",
        "x".repeat(WorkerOutput.TAIL_LINE_CHARS) + " ...", "last", "unterminated");
  }

  @Test
  void binaryGarbageHarmsNothing() throws Exception {
    byte[] garbage = new byte[4 << 20];
    new Random(42).nextBytes(garbage);
    ConcurrentLinkedQueue<String> logged = new ConcurrentLinkedQueue<>();
    WorkerOutput output = WorkerOutput.start(concat(new ByteArrayInputStream(garbage), text("\nclean\n")),
        concat(new ByteArrayInputStream(garbage), text("\nclean too\n")),
        Output.LOG, () -> NOWHERE, () -> NOWHERE, logged::add);

    assertThat(output.awaitEnd(WAIT_MILLIS)).isTrue();
    assertThat(logged).contains("clean", "clean too").allSatisfy(
        line -> assertThat(line.length()).isLessThanOrEqualTo(WorkerOutput.MAX_LOG_LINE_BYTES + 20));
    assertThat(output.stderrTail()).endsWith("clean too").allSatisfy(
        line -> assertThat(line.length()).isLessThanOrEqualTo(WorkerOutput.TAIL_LINE_CHARS + 4));
  }

  @Test
  void inheritCopiesBytesAsTheyAreAndKeepsTheTail() throws Exception {
    byte[] mixed = ("plain\n" + "\u00e9\u4e2d\n").getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream outStream = new PrintStream(out, true);
    PrintStream errStream = new PrintStream(err, true);
    WorkerOutput output = WorkerOutput.start(new ByteArrayInputStream(mixed), text(lines(0, 25)),
        Output.INHERIT, () -> outStream, () -> errStream, line -> { });

    assertThat(output.awaitEnd(WAIT_MILLIS)).isTrue();
    assertThat(out.toByteArray()).isEqualTo(mixed);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(lines(0, 25));
    assertThat(output.stderrTail()).hasSize(20).startsWith("line 5").endsWith("line 24");
  }

  @Test
  void aFailingSinkDoesNotStopTheReading() throws Exception {
    ConcurrentLinkedQueue<String> logged = new ConcurrentLinkedQueue<>();
    WorkerOutput output = WorkerOutput.start(text(lines(0, 3)), text("boom\nfine\n"),
        Output.LOG, () -> NOWHERE, () -> NOWHERE, line -> {
          if (line.equals("line 1") || line.equals("boom")) {
            throw new IllegalStateException("a broken appender");
          }
          logged.add(line);
        });

    assertThat(output.awaitEnd(WAIT_MILLIS)).isTrue();
    assertThat(logged).contains("line 0", "line 2", "fine");
    assertThat(output.stderrTail()).containsExactly("boom", "fine");
  }

  @Test
  void aMultiByteCharIsNeverSplitAcrossPieces() throws Exception {
    String line = "\u00e9".repeat(WorkerOutput.MAX_LOG_LINE_BYTES); // 2 bytes each
    ConcurrentLinkedQueue<String> logged = new ConcurrentLinkedQueue<>();
    WorkerOutput output = WorkerOutput.start(concat(text("a"), text(line + "\n")), text(""),
        Output.LOG, () -> NOWHERE, () -> NOWHERE, logged::add);

    assertThat(output.awaitEnd(WAIT_MILLIS)).isTrue();
    assertThat(String.join("", logged).replace(WorkerOutput.CONTINUED, "")).isEqualTo("a" + line);
    assertThat(logged).noneMatch(l -> l.contains("\ufffd"));
  }
}

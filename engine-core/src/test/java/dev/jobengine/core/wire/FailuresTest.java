package dev.jobengine.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.jobengine.JavaSerializationCodec;
import dev.jobengine.JobEngineException;
import dev.jobengine.RemoteTaskException;
import dev.jobengine.TaskSerializationException;
import dev.jobengine.proto.Failure;
import java.io.NotSerializableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FailuresTest {
  private final Payloads payloads = new Payloads(new JavaSerializationCodec(), 1 << 20);

  /** An exception that cannot be serialized: it holds a plain Object. */
  static final class UnserializableException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    @SuppressWarnings("unused")
    private final Object lock = new Object();

    UnserializableException(String message) {
      super(message);
    }
  }

  private static RuntimeException thrownInTask() {
    return new IllegalStateException("bad input 42");
  }

  private static RuntimeException unserializableThrownInTask() {
    return new UnserializableException("cannot travel");
  }

  private JobEngineException roundTrip(Throwable t, Failure.Kind kind) {
    return Failures.toException(Failures.describe(t, kind, payloads), payloads);
  }

  private static void assertDescribes(RemoteTaskException remote, Throwable t, String method) {
    assertThat(remote.remoteClassName()).isEqualTo(t.getClass().getName());
    assertThat(remote.remoteMessage()).isEqualTo(t.getMessage());
    assertThat(remote.remoteStackTrace()).contains(t.getClass().getName()).contains(method);
  }

  @Test
  void aTaskExceptionArrivesAsRemoteTaskExceptionWithTheOriginalAsCause() {
    RuntimeException thrown = thrownInTask();
    JobEngineException e = roundTrip(thrown, Failure.Kind.TASK_THREW);

    assertThat(e).isInstanceOf(RemoteTaskException.class);
    assertDescribes((RemoteTaskException) e, thrown, "thrownInTask");
    assertThat(e.getCause())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("bad input 42")
        .isNotSameAs(thrown);
    assertThat(e.getCause().getStackTrace()[0].getMethodName()).isEqualTo("thrownInTask");
  }

  @Test
  void anUnserializableExceptionArrivesWithoutCause() {
    RuntimeException thrown = unserializableThrownInTask();
    Failure f = Failures.describe(thrown, Failure.Kind.TASK_THREW, payloads);
    assertThat(f.getException()).isEmpty();

    JobEngineException e = Failures.toException(f, payloads);
    assertThat(e).isInstanceOf(RemoteTaskException.class).hasNoCause();
    assertDescribes((RemoteTaskException) e, thrown, "unserializableThrownInTask");
  }

  @Test
  void anExceptionTheMasterCannotDecodeArrivesWithoutCause() {
    Failure f =
        Failures.describe(thrownInTask(), Failure.Kind.TASK_THREW, payloads).toBuilder()
            .setException(ByteString.copyFromUtf8("bytes of an unknown class"))
            .build();
    JobEngineException e = Failures.toException(f, payloads);
    assertThat(e).isInstanceOf(RemoteTaskException.class).hasNoCause();
    assertThat(((RemoteTaskException) e).remoteClassName()).isEqualTo("java.lang.IllegalStateException");
  }

  @Test
  void aNullMessageStaysNull() {
    RemoteTaskException e =
        (RemoteTaskException) roundTrip(new UnsupportedOperationException(), Failure.Kind.TASK_THREW);
    assertThat(e.remoteMessage()).isNull();
    assertThat(e).hasMessage("java.lang.UnsupportedOperationException");
  }

  @ParameterizedTest
  @EnumSource(names = {"NOT_SERIALIZABLE", "TOO_LARGE"})
  void aSerializationFailureBecomesTaskSerializationException(Failure.Kind kind) {
    JobEngineException e = roundTrip(new NotSerializableException("com.example.Thing"), kind);
    assertThat(e)
        .isExactlyInstanceOf(TaskSerializationException.class)
        .hasMessageContaining("com.example.Thing")
        .hasMessageContaining("in the worker");
  }

  @Test
  void aHugeMessageIsCutWithAMarkerAndTheWholeFailureFitsTheLimit() {
    Payloads small = new Payloads(new JavaSerializationCodec(), 1 << 20);
    String huge = "x".repeat(2 << 20);
    Failure f = Failures.describe(new IllegalStateException(huge), Failure.Kind.TASK_THREW, small);

    assertThat(f.getSerializedSize()).isLessThan((1 << 20) / 2);
    assertThat(f.getMessage()).startsWith("xxxx").endsWith("more chars cut]").hasSizeLessThan(70_000);
    assertThat(f.getMessage()).contains("[" + ((2 << 20) - (1 << 20) / 16) + " more chars cut]");
    assertThat(f.getStackTrace()).startsWith("java.lang.IllegalStateException: xxx").contains("more chars cut]");
    assertThat(f.getException()).isEmpty(); // it would not fit in a quarter of the limit

    RemoteTaskException e = (RemoteTaskException) Failures.toException(f, small);
    assertThat(e.remoteMessage()).isEqualTo(f.getMessage());
    assertThat(e).hasNoCause();
  }

  @Test
  void manyCausesAndSuppressedExceptionsAreBoundedToo() {
    Payloads small = new Payloads(new JavaSerializationCodec(), 64 << 10);
    Throwable t = new RuntimeException("leaf " + "y".repeat(10_000));
    for (int i = 0; i < 2_000; i++) {
      Throwable outer = new RuntimeException("level " + i + " " + "z".repeat(500), t);
      outer.addSuppressed(new IllegalArgumentException("suppressed " + i));
      t = outer;
    }
    Failure f = Failures.describe(t, Failure.Kind.TASK_THREW, small);

    assertThat(f.getSerializedSize()).isLessThan((64 << 10) * 13 / 16);
    assertThat(f.getStackTrace()).hasSizeLessThanOrEqualTo((64 << 10) / 16 + 40).endsWith("more chars cut]");
    assertThat(f.getException()).isEmpty();
  }

  @Test
  void aSmallExceptionIsNotCut() {
    Failure f = Failures.describe(thrownInTask(), Failure.Kind.TASK_THREW, payloads);
    assertThat(f.getMessage()).isEqualTo("bad input 42");
    assertThat(f.getStackTrace()).doesNotContain("chars cut");
    assertThat(f.getException()).isNotEmpty();
  }

  @Test
  void aSurrogatePairIsNeverSplit() {
    String s = "a\uD83D\uDE00b";
    assertThat(Failures.cut(s, 2)).startsWith("a...").contains("[3 more chars cut]");
    assertThat(Failures.cut(s, 3)).startsWith("a\uD83D\uDE00...").contains("[1 more chars cut]");
  }
}

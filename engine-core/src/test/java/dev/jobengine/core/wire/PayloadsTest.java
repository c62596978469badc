package dev.jobengine.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.jobengine.JavaSerializationCodec;
import dev.jobengine.TaskSerializationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadsTest {
  private static Payloads payloads(int maxBytes) {
    return new Payloads(new JavaSerializationCodec(), maxBytes);
  }

  private final Payloads payloads = payloads(1 << 20);

  @Test
  void decodeReadsWhatEncodeWrote() {
    Object value = Map.of("k", List.of(1, 2L, "three"), "n", 4.5);
    assertThat(payloads.decode(payloads.encode(value, "x"), "x")).isEqualTo(value);
    assertThat(payloads.decode(payloads.encode(null, "x"), "x")).isNull();
  }

  @Test
  void aNonSerializableValueNamesTheThingAndTheClass() {
    assertThatThrownBy(() -> payloads.encode(List.of(new Object()), "result of task 7"))
        .isExactlyInstanceOf(TaskSerializationException.class)
        .hasMessageContaining("result of task 7")
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void aValueOverTheLimitIsTooLarge() {
    assertThatThrownBy(() -> payloads(1024).encode(new byte[4096], "item chunk"))
        .isInstanceOf(Payloads.PayloadTooLargeException.class)
        .isInstanceOf(TaskSerializationException.class)
        .hasMessageContaining("item chunk")
        .hasMessageContaining("1024")
        .hasMessageContaining("maxPayloadBytes");
  }

  @Test
  void theLimitIsInclusive() {
    byte[] value = new byte[2000];
    int size = payloads.encode(value, "x").size();

    assertThat(payloads(size).encode(value, "x").size()).isEqualTo(size);
    assertThatThrownBy(() -> payloads(size - 1).encode(value, "x"))
        .isInstanceOf(Payloads.PayloadTooLargeException.class);
  }

  @Test
  void undecodableBytesNameTheThing() {
    assertThatThrownBy(() -> payloads.decode(ByteString.copyFromUtf8("garbage"), "task 9"))
        .isInstanceOf(TaskSerializationException.class)
        .hasMessageContaining("task 9");
  }

  @Test
  void aSmallValueIsEncodedAndDecodedWithoutLargeBuffers() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    assertThat(payloads.decode(payloads.encode(12_345, "x"), "x")).isEqualTo(12_345); // classes loaded
    int rounds = 1_000;
    long sum = 0;
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < rounds; i++) {
      sum += (Integer) payloads.decode(payloads.encode(i, "x"), "x");
    }
    long perRound = (threads.getCurrentThreadAllocatedBytes() - before) / rounds;
    assertThat(sum).isEqualTo(rounds * (rounds - 1L) / 2);
    // a buffer of the codec's full 8 KiB each way, as before, made it over 16 KiB
    assertThat(perRound).isLessThan(2_048);
  }

  @Test
  void aValueIsNamedOnlyWhenItFails() {
    java.util.concurrent.atomic.AtomicInteger named = new java.util.concurrent.atomic.AtomicInteger();
    java.util.function.Supplier<String> what = () -> {
      named.incrementAndGet();
      return "result of task 9";
    };
    assertThat(payloads.decode(payloads.encode(42, what), what)).isEqualTo(42);
    assertThat(named).hasValue(0);
    assertThatThrownBy(() -> payloads.encode(new Object(), what))
        .isExactlyInstanceOf(TaskSerializationException.class)
        .hasMessageContaining("result of task 9");
    assertThatThrownBy(() -> payloads(16).encode(new byte[64], what))
        .isInstanceOf(Payloads.PayloadTooLargeException.class)
        .hasMessageContaining("result of task 9");
    assertThatThrownBy(() -> payloads.decode(ByteString.copyFrom(new byte[] {(byte) 0xAC, 1, 2}), what))
        .isExactlyInstanceOf(TaskSerializationException.class)
        .hasMessageContaining("result of task 9");
    assertThat(named).hasValue(3);
  }

  /** Writes a byte array's bytes as {@code step} says: 0 one at a time, else in runs of that many. */
  private static dev.jobengine.Codec writingInSteps(int step) {
    return new dev.jobengine.Codec() {
      @Override
      public void encode(Object value, java.io.OutputStream out) throws java.io.IOException {
        byte[] b = (byte[]) value;
        for (int i = 0; i < b.length; i += Math.max(1, step)) {
          if (step == 0) {
            out.write(b[i]);
          } else {
            out.write(b, i, Math.min(step, b.length - i));
          }
        }
      }

      @Override
      public Object decode(java.io.InputStream in) throws java.io.IOException {
        return in.readAllBytes();
      }
    };
  }

  @Test
  void whatACodecWritesComesBackWholeHoweverItWritesIt() {
    byte[] value = new byte[3 << 20];
    new java.util.Random(5).nextBytes(value);
    for (int step : new int[] {0, 1, 7, 4096, 100_000, value.length}) {
      Payloads p = new Payloads(writingInSteps(step), 8 << 20);
      ByteString bytes = p.encode(value, "x");
      assertThat(bytes.size()).isEqualTo(value.length);
      assertThat(bytes.toByteArray()).as("step %d", step).isEqualTo(value);
      assertThat((byte[]) p.decode(bytes, "x")).isEqualTo(value);
      assertThatThrownBy(() -> new Payloads(writingInSteps(step), value.length - 1).encode(value, "item chunk"))
          .isInstanceOf(Payloads.PayloadTooLargeException.class)
          .hasMessageContaining("item chunk");
    }
    assertThat(new Payloads(writingInSteps(1), 16).encode(new byte[0], "x").isEmpty()).isTrue();
  }
}

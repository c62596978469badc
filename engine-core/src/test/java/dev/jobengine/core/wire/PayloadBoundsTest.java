package dev.jobengine.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.jobengine.JavaSerializationCodec;
import dev.jobengine.Task;
import dev.jobengine.TaskSerializationException;
import dev.jobengine.core.tasks.ChunkTask;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Forged payloads are refused before anything large is made; allowed classes still decode. */
class PayloadBoundsTest {
  private final Payloads payloads = new Payloads(new JavaSerializationCodec(), 1 << 20);

  private static final Payloads STRICT = new Payloads(new JavaSerializationCodec(), 1 << 20, "java.lang.Integer");

  private static byte[] javaStream(Object value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
      oos.writeObject(value);
    }
    return out.toByteArray();
  }

  /** {@code bytes} with the int at {@code offset} from the end replaced. */
  private static ByteString patchIntFromEnd(byte[] bytes, int offset, int value) {
    ByteBuffer.wrap(bytes).putInt(bytes.length - offset, value);
    return ByteString.copyFrom(bytes);
  }

  @Test
  void aJavaStreamDeclaringAHugeArrayIsRefusedBeforeItIsAllocated() throws IOException {
    ByteString forged = patchIntFromEnd(javaStream(new long[0]), 4, Integer.MAX_VALUE - 8);
    assertThat(forged.size()).isLessThan(40);

    assertThatThrownBy(() -> payloads.decode(forged, "a map key"))
        .isExactlyInstanceOf(TaskSerializationException.class)
        .hasMessageContaining("a map key was refused")
        .hasMessageContaining("of " + (Integer.MAX_VALUE - 8) + " elements in a payload of " + forged.size() + " bytes");
  }

  @Test
  void aHashMapDeclaringHugelyManyEntriesIsRefusedBeforeItsTableIsAllocated() throws IOException {
    byte[] stream = javaStream(new HashMap<>(Map.of(1, 2)));
    // after its fields HashMap writes a block of 8 bytes (TC_BLOCKDATA 0x77, length 8): buckets, then size
    int block = 0;
    for (int i = 0; i + 10 <= stream.length && block == 0; i++) {
      if (stream[i] == 0x77 && stream[i + 1] == 8 && ByteBuffer.wrap(stream).getInt(i + 6) == 1) {
        block = i;
      }
    }
    assertThat(block).isPositive();
    ByteBuffer.wrap(stream).putInt(block + 6, 200_000_000);

    assertThatThrownBy(() -> payloads.decode(ByteString.copyFrom(stream), "a map key"))
        .isExactlyInstanceOf(TaskSerializationException.class)
        .hasMessageContaining("was refused: an array, string or collection of");
  }

  @Test
  void deeplyNestedArraysAreRefused() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] head = javaStream(new Object[] {null});
    out.write(head, 0, head.length - 1); // without the final TC_NULL element
    for (int i = 0; i < 100_000; i++) {
      out.write(new byte[] {0x75, 0x71, 0x00, 0x7e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}); // Object[1] by ref
    }
    out.write(0x70);
    assertThatThrownBy(() -> payloads.decode(ByteString.copyFrom(out.toByteArray()), "result"))
        .isExactlyInstanceOf(TaskSerializationException.class)
        .hasMessageContaining("nested more than 1000 deep");
  }

  @Test
  void compactFormsDeclaringHugeLengthsAreRefused() {
    for (int tag : new int[] {7, 8, 9, 11}) { // LATIN1, UTF16, BYTES, NESTED_JAVA
      ByteString forged = ByteString.copyFrom(new byte[] {(byte) tag, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0});
      assertThatThrownBy(() -> payloads.decode(forged, "an item"))
          .isExactlyInstanceOf(TaskSerializationException.class)
          .hasMessageContaining("elements in a payload of 5 bytes");
    }
  }

  @Test
  void aClassOutsideTheAllowListIsRefusedByName() throws Exception {
    ByteString url = payloads.encode(List.of(new URL("http://example.com/")), "x");

    assertThatThrownBy(() -> STRICT.decode(url, "result of task 3"))
        .isExactlyInstanceOf(TaskSerializationException.class)
        .hasMessageContaining("result of task 3 was refused")
        .hasMessageContaining("class java.net.URL is not in EngineOptions.allowedClasses");
    Payloads allowing = new Payloads(new JavaSerializationCodec(), 1 << 20, "java.net.URL");
    assertThat(allowing.decode(url, "x")).asString().isEqualTo("[http://example.com/]"); // URL.equals would resolve
    Payloads refusing = new Payloads(new JavaSerializationCodec(), 1 << 20, "!java.util.ArrayList");
    assertThatThrownBy(() -> refusing.decode(payloads.encode(new ArrayList<>(List.of(1)), "x"), "x"))
        .hasMessageContaining("class java.util.ArrayList is not in EngineOptions.allowedClasses");
  }

  @Test
  void whatTheEngineNeedsStillDecodesUnderAnAllowList() throws Exception {
    List<Object> values = List.of(Map.of("k", List.of(1, 2L, "three")), new HashMap<>(Map.of(1, "one")),
        new ArrayList<>(List.of(java.time.Duration.ofSeconds(3), new java.math.BigDecimal("1.5"))));
    assertThat(STRICT.decode(payloads.encode(values, "x"), "x")).isEqualTo(values);
    assertThat((int[]) STRICT.decode(payloads.encode(new int[] {1, 2}, "x"), "x")).containsExactly(1, 2);
    Throwable e = (Throwable) STRICT.decode(payloads.encode(new ExecutionException(new IllegalStateException("x")), "x"), "x");
    assertThat(e).isInstanceOf(ExecutionException.class).hasRootCauseMessage("x");

    int captured = 41;
    Task<Integer> task = () -> captured + 1;
    assertThat(((Task<?>) STRICT.decode(payloads.encode(task, "task"), "task")).call()).isEqualTo(42);
    ChunkTask chunk = new ChunkTask(x -> x, List.of(7, "s"));
    assertThat(((ChunkTask) STRICT.decode(payloads.encode(chunk, "chunk"), "chunk")).call()).containsExactly(7, "s");
  }
}

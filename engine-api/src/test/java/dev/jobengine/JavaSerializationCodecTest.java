package dev.jobengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectOutputStream;
import java.io.StreamCorruptedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JavaSerializationCodecTest {
  private final JavaSerializationCodec codec = new JavaSerializationCodec();

  private byte[] encode(Object value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    codec.encode(value, out);
    return out.toByteArray();
  }

  private Object roundTrip(Object value) throws Exception {
    return codec.decode(new ByteArrayInputStream(encode(value)));
  }

  static int inc(int x) {
    return x + 1;
  }

  @Test
  void commonValuesRoundTripInShortForms() throws Exception {
    List<Object> values = List.of(0, -7, Integer.MAX_VALUE, 42L, Long.MIN_VALUE, 2.5, Double.NaN, true, false,
        "", "plain ascii", "caf\u00e9", "\u65e5\u672c\ud83d\ude00", "lone \ud800 surrogate");
    for (Object v : values) {
      assertThat(roundTrip(v)).as("%s", v).isEqualTo(v);
      assertThat(encode(v)[0] & 0xFF).as("short form of %s", v).isLessThan(CompactForms.JAVA_STREAM);
    }
    assertThat(roundTrip(null)).isNull();
    assertThat(encode(7)).hasSize(5);
    byte[] big = new byte[3 << 20];
    big[big.length - 1] = 9;
    assertThat((byte[]) roundTrip(big)).isEqualTo(big);
    assertThat(encode(big)).hasSize(big.length + 5);
  }

  @Test
  void otherValuesAreJavaSerializationStreams() throws Exception {
    Map<String, List<Integer>> map = Map.of("a", List.of(1, 2));
    byte[] bytes = encode(map);
    assertThat(bytes[0] & 0xFF).isEqualTo(0xAC);
    assertThat(roundTrip(map)).isEqualTo(map);
    // and a stream written by plain Java serialization decodes as before
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (ObjectOutputStream oos = new ObjectOutputStream(raw)) {
      oos.writeObject(12);
    }
    assertThat(codec.decode(new ByteArrayInputStream(raw.toByteArray()))).isEqualTo(12);
  }

  @Test
  @SuppressWarnings("unchecked")
  void lambdasTravelWithWhatTheyCapture() throws Exception {
    int x = 41;
    String s = "s\u00e9";
    byte[] data = {1, 2, 3};
    List<Integer> list = new ArrayList<>(List.of(5, 6));
    Task<String> task = () -> s + inc(x) + data.length + list;
    byte[] bytes = encode(task);
    assertThat(bytes[0]).isEqualTo((byte) CompactForms.LAMBDA);
    assertThat(((Task<String>) codec.decode(new ByteArrayInputStream(bytes))).call()).isEqualTo("s\u00e942" + 3 + "[5, 6]");

    Fn<Integer, Integer> ref = JavaSerializationCodecTest::inc;
    assertThat(((Fn<Integer, Integer>) roundTrip(ref)).apply(1)).isEqualTo(2);
    Task<Integer> none = () -> 7;
    assertThat(((Task<Integer>) roundTrip(none)).call()).isEqualTo(7);
  }

  @Test
  void aLambdaIsFarSmallerThanItsJavaSerializationStream() throws Exception {
    int x = 3;
    Task<Integer> task = () -> inc(x);
    ByteArrayOutputStream java = new ByteArrayOutputStream();
    codec.encodeJava(task, java);
    assertThat(encode(task).length).isLessThan(java.size() / 2);
  }

  @Test
  void aLambdaCapturingSomethingUnserializableFailsToEncode() {
    Object notSerializable = new Object();
    Task<String> task = () -> notSerializable.toString();
    assertThatThrownBy(() -> encode(task)).isInstanceOf(java.io.NotSerializableException.class);
  }

  @Test
  void theFilterStillDecidesForLambdasAndArrays() throws Exception {
    int x = 1;
    Task<Integer> task = () -> inc(x);
    byte[] lambda = encode(task);
    JavaSerializationCodec strict = new JavaSerializationCodec(
        ObjectInputFilter.Config.createFilter("!" + JavaSerializationCodecTest.class.getName()));
    assertThatThrownBy(() -> strict.decode(new ByteArrayInputStream(lambda)))
        .isInstanceOf(InvalidClassException.class)
        .hasMessageContaining(JavaSerializationCodecTest.class.getName());

    JavaSerializationCodec small = new JavaSerializationCodec(ObjectInputFilter.Config.createFilter("maxarray=10"));
    byte[] array = encode(new byte[11]);
    assertThatThrownBy(() -> small.decode(new ByteArrayInputStream(array))).isInstanceOf(InvalidClassException.class);
  }

  @Test
  void garbageIsACleanError() {
    assertThatThrownBy(() -> codec.decode(new ByteArrayInputStream(new byte[] {99, 1, 2})))
        .isInstanceOf(StreamCorruptedException.class);
    assertThatThrownBy(() -> codec.decode(new ByteArrayInputStream(new byte[0])))
        .isInstanceOf(java.io.EOFException.class);
    // a length far beyond what follows allocates nothing up front and fails
    byte[] forged = {(byte) CompactForms.BYTES, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThatThrownBy(() -> codec.decode(new ByteArrayInputStream(forged))).isInstanceOf(IOException.class);
    byte[] lambdaOfNothing = {(byte) CompactForms.LAMBDA, 0, 3, 'a', 'b', 'c'};
    assertThatThrownBy(() -> codec.decode(new ByteArrayInputStream(lambdaOfNothing))).isInstanceOf(IOException.class);
  }
}

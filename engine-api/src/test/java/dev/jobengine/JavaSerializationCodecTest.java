package dev.jobengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobengine.spi.CompactExternalizable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.Externalizable;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInput;
import java.io.ObjectInputFilter;
import java.io.ObjectOutput;
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

  /** A function, a list of values and a link to another node: what a map chunk carries, and more. */
  public static final class Node implements CompactExternalizable {
    Fn<Integer, Integer> fn;
    List<Object> items;
    Node next;

    public Node() {}

    Node(Fn<Integer, Integer> fn, List<Object> items, Node next) {
      this.fn = fn;
      this.items = items;
      this.next = next;
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
      out.writeObject(fn);
      out.writeInt(items.size());
      for (Object item : items) {
        out.writeObject(item);
      }
      out.writeObject(next);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void readExternal(ObjectInput in) throws IOException, ClassNotFoundException {
      fn = (Fn<Integer, Integer>) in.readObject();
      int n = in.readInt();
      items = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        items.add(in.readObject());
      }
      next = (Node) in.readObject();
    }
  }

  /** Externalizable, but not marked for the short form. */
  public static final class PlainExternal implements Externalizable {
    public PlainExternal() {}

    @Override
    public void writeExternal(ObjectOutput out) {}

    @Override
    public void readExternal(ObjectInput in) {}
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
  void compactExternalizablesTravelWithoutAJavaStream() throws Exception {
    Node tail = new Node(JavaSerializationCodecTest::inc, List.of(), null);
    Node node = new Node(x -> x * 2, List.of(1, 2L, "three", Map.of("four", 4)), tail);
    byte[] bytes = encode(node);
    assertThat(bytes[0]).isEqualTo((byte) CompactForms.EXTERNAL);
    Node back = (Node) codec.decode(new ByteArrayInputStream(bytes));
    assertThat(back.items).containsExactly(1, 2L, "three", Map.of("four", 4));
    assertThat(back.fn.apply(5)).isEqualTo(10);
    assertThat(back.next.fn.apply(5)).isEqualTo(6);
    assertThat(back.next.next).isNull();

    Node small = new Node(x -> x, List.of(1, 2, 3), null);
    ByteArrayOutputStream java = new ByteArrayOutputStream();
    codec.encodeJava(small, java);
    assertThat(encode(small).length).isLessThan(java.size() / 2);
  }

  @Test
  void onlyCompactExternalizablesThatTheFilterAcceptsAreBuilt() throws Exception {
    ByteArrayOutputStream forged = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(forged);
    out.writeByte(CompactForms.EXTERNAL);
    out.writeUTF(PlainExternal.class.getName());
    assertThatThrownBy(() -> codec.decode(new ByteArrayInputStream(forged.toByteArray())))
        .isInstanceOf(InvalidClassException.class)
        .hasMessageContaining("not a CompactExternalizable");

    byte[] node = encode(new Node(x -> x, List.of(), null));
    JavaSerializationCodec strict = new JavaSerializationCodec(
        ObjectInputFilter.Config.createFilter("!" + Node.class.getName()));
    assertThatThrownBy(() -> strict.decode(new ByteArrayInputStream(node)))
        .isInstanceOf(InvalidClassException.class)
        .hasMessageContaining(Node.class.getName());
  }

  @Test
  void nestingIsBoundedSoForgedInputCannotExhaustTheStack() throws Exception {
    Node shallow = null;
    for (int i = 0; i < CompactInput.MAX_DEPTH / 2 - 1; i++) { // each node nests its next inside readObject
      shallow = new Node(x -> x, List.of(), shallow);
    }
    assertThat(roundTrip(shallow)).isInstanceOf(Node.class);
    Node deep = shallow;
    for (int i = 0; i < CompactInput.MAX_DEPTH; i++) {
      deep = new Node(x -> x, List.of(), deep);
    }
    byte[] bytes = encode(deep);
    assertThatThrownBy(() -> codec.decode(new ByteArrayInputStream(bytes)))
        .isInstanceOf(StreamCorruptedException.class)
        .hasMessageContaining("deeper than " + CompactInput.MAX_DEPTH);
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

  @Test
  @SuppressWarnings("unchecked")
  void aLambdaClassWritesItsHeaderOnceAndEveryInstanceTheSameWay() throws Exception {
    List<Task<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int x = i;
      tasks.add(() -> inc(x));
    }
    java.lang.invoke.SerializedLambda sl = CompactForms.lambdaOf(tasks.get(0));
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(expected); // the form as first defined
    out.writeByte(CompactForms.LAMBDA);
    out.writeUTF(sl.getCapturingClass());
    out.writeUTF(sl.getFunctionalInterfaceClass());
    out.writeUTF(sl.getFunctionalInterfaceMethodName());
    out.writeUTF(sl.getFunctionalInterfaceMethodSignature());
    out.writeByte(sl.getImplMethodKind());
    out.writeUTF(sl.getImplClass());
    out.writeUTF(sl.getImplMethodName());
    out.writeUTF(sl.getImplMethodSignature());
    out.writeUTF(sl.getInstantiatedMethodType());
    out.writeShort(1);
    for (int i = 0; i < 3; i++) {
      byte[] bytes = encode(tasks.get(i));
      ByteArrayOutputStream arg = new ByteArrayOutputStream();
      CompactOutput captured = new CompactOutput(arg, codec);
      captured.writeObject(i);
      captured.flush();
      assertThat(bytes).startsWith(expected.toByteArray()).hasSize(expected.size() + arg.size());
      assertThat(((Task<Integer>) codec.decode(new ByteArrayInputStream(bytes))).call()).isEqualTo(i + 1);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void forgedLambdaHeadersFailCleanlyAndFillNoMoreThanTheBoundedCache() throws Exception {
    for (int i = 0; i < CompactForms.MAX_READ_HEADERS + 50; i++) {
      ByteArrayOutputStream forged = new ByteArrayOutputStream();
      java.io.DataOutputStream out = new java.io.DataOutputStream(forged);
      out.writeByte(CompactForms.LAMBDA);
      out.writeUTF("no/such/Capturer" + i);
      for (int f = 0; f < 3; f++) {
        out.writeUTF("x");
      }
      out.writeByte(6);
      for (int f = 0; f < 4; f++) {
        out.writeUTF("y");
      }
      out.writeShort(0);
      assertThatThrownBy(() -> codec.decode(new ByteArrayInputStream(forged.toByteArray())))
          .isInstanceOf(ClassNotFoundException.class);
    }
    assertThat(CompactForms.cachedReadHeaders()).isLessThanOrEqualTo(CompactForms.MAX_READ_HEADERS);
    int x = 5;
    Task<Integer> task = () -> inc(x);
    assertThat(((Task<Integer>) roundTrip(task)).call()).isEqualTo(6);
  }

  @Test
  void theDefaultLimitsDecideAsThePatternDoes() {
    java.io.ObjectInputFilter pattern = java.io.ObjectInputFilter.Config.createFilter(JavaSerializationCodec.DEFAULT_LIMITS);
    java.io.ObjectInputFilter ours = new JavaSerializationCodec.Limits(2000, 50_000_000, 300_000_000);
    Class<?>[] types = {null, String.class, byte[].class, Object[][].class, int.class};
    long[] depths = {-1, 0, 1, 2000, 2001};
    long[] refs = {-1, 0, 50_000_000, 50_000_001};
    long[] arrays = {-1, 0, 300_000_000, 300_000_001};
    long[] bytes = {-1, 0, Long.MAX_VALUE};
    int checked = 0;
    for (Class<?> type : types) {
      for (long depth : depths) {
        for (long ref : refs) {
          for (long array : arrays) {
            for (long streamBytes : bytes) {
              java.io.ObjectInputFilter.FilterInfo info = info(type, array, depth, ref, streamBytes);
              assertThat(ours.checkInput(info)).as("%s %d %d %d %d", type, depth, ref, array, streamBytes)
                  .isEqualTo(pattern.checkInput(info));
              checked++;
            }
          }
        }
      }
    }
    assertThat(checked).isEqualTo(1200);
    assertThat(ours).hasToString(JavaSerializationCodec.DEFAULT_LIMITS);
  }

  private static java.io.ObjectInputFilter.FilterInfo info(Class<?> type, long array, long depth, long refs, long bytes) {
    return new java.io.ObjectInputFilter.FilterInfo() {
      @Override
      public Class<?> serialClass() {
        return type;
      }

      @Override
      public long arrayLength() {
        return array;
      }

      @Override
      public long depth() {
        return depth;
      }

      @Override
      public long references() {
        return refs;
      }

      @Override
      public long streamBytes() {
        return bytes;
      }
    };
  }
}

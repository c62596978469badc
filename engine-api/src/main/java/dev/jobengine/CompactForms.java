package dev.jobengine;

import dev.jobengine.spi.CompactExternalizable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.Externalizable;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The short forms {@link JavaSerializationCodec} writes for the values tasks pass most: null,
 * Integer, Long, Double, Boolean, String, byte[], serializable lambdas (whatever they capture) and
 * {@link CompactExternalizable}s such as the engine's map chunks. Everything else is a plain Java
 * serialization stream.
 *
 * <p>A Java serialization stream starts with the byte 0xAC; every short form starts with a tag
 * below it, so one byte tells them apart. A lambda is written as the fields of its {@link
 * SerializedLambda} and rebuilt, as Java serialization does, by the capturing class's own
 * {@code $deserializeLambda$}, which accepts only the lambdas that class really declares; what
 * Java serialization's class descriptors would repeat in every message is not sent at all. The
 * decoding side consults the same {@link java.io.ObjectInputFilter} as Java serialization for the
 * lambda's capturing class, the Externalizable's class and for byte arrays.
 */
final class CompactForms {
  /** First byte of every Java serialization stream (ObjectStreamConstants.STREAM_MAGIC). */
  static final int JAVA_STREAM = 0xAC;

  static final int NULL = 1;
  static final int INT = 2;
  static final int LONG = 3;
  static final int DOUBLE = 4;
  static final int TRUE = 5;
  static final int FALSE = 6;
  static final int LATIN1 = 7; // a String whose chars are all below 256: one byte each
  static final int UTF16 = 8; // any other String: two bytes per char
  static final int BYTES = 9;
  static final int LAMBDA = 10;
  static final int NESTED_JAVA = 11; // a value inside a short form, in a Java serialization stream of its own
  static final int EXTERNAL = 12; // a CompactExternalizable: class name, then its external form

  /** Longest class name or signature written with writeUTF (which takes at most 65,535 bytes). */
  private static final int MAX_NAME_CHARS = 16_000;

  /** The {@code writeReplace} of serializable lambda classes (absent for every other class). */
  private static final ClassValue<Optional<Method>> WRITE_REPLACE = new ClassValue<>() {
    @Override
    protected Optional<Method> computeValue(Class<?> type) {
      if (!type.isSynthetic() || !Serializable.class.isAssignableFrom(type) || type.getModule().isNamed()) {
        return Optional.empty(); // lambdas of named modules may not be opened to us: serialize normally
      }
      try {
        Method m = type.getDeclaredMethod("writeReplace");
        m.setAccessible(true);
        return Optional.of(m);
      } catch (NoSuchMethodException | RuntimeException e) {
        return Optional.empty();
      }
    }
  };

  /** The capturing class's {@code $deserializeLambda$}, made callable. */
  private static final ClassValue<Optional<Method>> DESERIALIZE_LAMBDA = new ClassValue<>() {
    @Override
    protected Optional<Method> computeValue(Class<?> type) {
      try {
        Method m = type.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
        if (!Modifier.isStatic(m.getModifiers())) {
          return Optional.empty();
        }
        m.setAccessible(true);
        return Optional.of(m);
      } catch (NoSuchMethodException | RuntimeException e) {
        return Optional.empty();
      }
    }
  };

  /** The public no-argument constructor of a CompactExternalizable, made callable. */
  private static final ClassValue<Optional<Constructor<?>>> CONSTRUCTOR = new ClassValue<>() {
    @Override
    protected Optional<Constructor<?>> computeValue(Class<?> type) {
      try {
        Constructor<?> c = type.getConstructor();
        c.setAccessible(true); // the class itself may be nested or package-private
        return Optional.of(c);
      } catch (NoSuchMethodException | RuntimeException e) {
        return Optional.empty();
      }
    }
  };

  /**
   * A lambda class's short form up to its captured values (tag, interface, implementation and
   * types), which is the same for every instance: written once per class, copied after that.
   */
  private static final ClassValue<LambdaHeader> LAMBDA_HEADERS = new ClassValue<>() {
    @Override
    protected LambdaHeader computeValue(Class<?> type) {
      return new LambdaHeader();
    }
  };

  /** One lambda class's header bytes, null until its first instance is written. */
  private static final class LambdaHeader {
    volatile byte[] bytes;
  }

  /** Headers of lambdas read, by their bytes: decoded once, looked up after that. Bounded. */
  private static final ConcurrentHashMap<HeaderKey, ReadHeader> READ_HEADERS =
      new ConcurrentHashMap<>();
  static final int MAX_READ_HEADERS = 1024;
  private static final int MAX_CACHED_HEADER_BYTES = 4096;

  /** A lambda header's bytes as a map key. */
  private static final class HeaderKey {
    final byte[] bytes;
    final int hash;

    HeaderKey(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof HeaderKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** A lambda header, decoded. */
  private record ReadHeader(String capturingClass, String functionalInterfaceClass,
      String functionalInterfaceMethodName, String functionalInterfaceMethodSignature, int implMethodKind,
      String implClass, String implMethodName, String implMethodSignature, String instantiatedMethodType,
      String capturingName) {
    static ReadHeader decode(byte[] header) throws IOException {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(header));
      String capturing = in.readUTF();
      return new ReadHeader(capturing, in.readUTF(), in.readUTF(), in.readUTF(), in.readUnsignedByte(),
          in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(), capturing.replace('/', '.'));
    }
  }

  /** Lambda headers decoded and kept (for tests). */
  static int cachedReadHeaders() {
    return READ_HEADERS.size();
  }

  private CompactForms() {}

  /**
   * The bytes {@link #write} is expected to buffer for {@code value}: exact for numbers, booleans
   * and null, a String's if its chars are Latin-1, a byte array's if it is buffered at all; 512
   * for anything else.
   */
  static int expectedSize(Object value) {
    if (value == null || value instanceof Boolean) {
      return 1;
    } else if (value instanceof Integer) {
      return 5;
    } else if (value instanceof Long || value instanceof Double) {
      return 9;
    } else if (value instanceof String s) {
      return 5 + s.length();
    } else if (value instanceof byte[] bytes) {
      return bytes.length < CompactOutput.BUFFER ? 5 + bytes.length : 5; // large arrays are not buffered
    }
    return 512;
  }

  /** Writes {@code value} in a short form and returns true, or writes nothing and returns false. */
  static boolean write(Object value, CompactOutput out) throws IOException {
    if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof Integer i) {
      out.writeByte(INT);
      out.writeInt(i);
    } else if (value instanceof Long l) {
      out.writeByte(LONG);
      out.writeLong(l);
    } else if (value instanceof Double d) {
      out.writeByte(DOUBLE);
      out.writeDouble(d);
    } else if (value instanceof Boolean b) {
      out.writeByte(b ? TRUE : FALSE);
    } else if (value instanceof String s) {
      writeString(s, out);
    } else if (value instanceof byte[] bytes) {
      out.writeByte(BYTES);
      out.writeInt(bytes.length);
      out.write(bytes);
    } else if (value instanceof CompactExternalizable ext
        && value.getClass().getName().length() <= MAX_NAME_CHARS) {
      out.writeByte(EXTERNAL);
      out.writeUTF(value.getClass().getName());
      ext.writeExternal(out);
    } else {
      SerializedLambda lambda = lambdaOf(value);
      if (lambda == null) {
        return false;
      }
      writeLambda(value.getClass(), lambda, out);
    }
    return true;
  }

  private static void writeString(String s, CompactOutput out) throws IOException {
    int n = s.length();
    boolean latin1 = true;
    for (int i = 0; i < n && latin1; i++) {
      latin1 = s.charAt(i) < 256;
    }
    out.writeByte(latin1 ? LATIN1 : UTF16);
    out.writeInt(n);
    if (latin1) {
      byte[] b = new byte[n];
      for (int i = 0; i < n; i++) {
        b[i] = (byte) s.charAt(i);
      }
      out.write(b);
    } else {
      out.writeChars(s);
    }
  }

  /** The serialized form of a serializable lambda of an unnamed module; null for anything else. */
  static SerializedLambda lambdaOf(Object value) {
    Optional<Method> writeReplace = WRITE_REPLACE.get(value.getClass());
    if (writeReplace.isEmpty()) {
      return null;
    }
    try {
      Object replaced = writeReplace.get().invoke(value);
      if (replaced instanceof SerializedLambda sl
          && sl.getCapturingClass().length() <= MAX_NAME_CHARS
          && sl.getImplMethodSignature().length() <= MAX_NAME_CHARS
          && sl.getInstantiatedMethodType().length() <= MAX_NAME_CHARS
          && sl.getFunctionalInterfaceMethodSignature().length() <= MAX_NAME_CHARS) {
        return sl;
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // not a lambda after all: Java serialization will say what it makes of it
    }
    return null;
  }

  private static void writeLambda(Class<?> type, SerializedLambda sl, CompactOutput out) throws IOException {
    LambdaHeader cached = LAMBDA_HEADERS.get(type);
    byte[] header = cached.bytes;
    if (header == null) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
      DataOutputStream h = new DataOutputStream(bytes); // the same modified UTF-8 as CompactOutput's
      h.writeByte(LAMBDA);
      h.writeUTF(sl.getCapturingClass());
      h.writeUTF(sl.getFunctionalInterfaceClass());
      h.writeUTF(sl.getFunctionalInterfaceMethodName());
      h.writeUTF(sl.getFunctionalInterfaceMethodSignature());
      h.writeByte(sl.getImplMethodKind());
      h.writeUTF(sl.getImplClass());
      h.writeUTF(sl.getImplMethodName());
      h.writeUTF(sl.getImplMethodSignature());
      h.writeUTF(sl.getInstantiatedMethodType());
      header = bytes.toByteArray();
      cached.bytes = header;
    }
    out.write(header);
    int n = sl.getCapturedArgCount();
    out.writeShort(n);
    for (int i = 0; i < n; i++) {
      out.writeObject(sl.getCapturedArg(i));
    }
  }

  /** Reads the value that follows {@code tag} (which was already read). */
  static Object read(int tag, CompactInput in) throws IOException, ClassNotFoundException {
    JavaSerializationCodec codec = in.codec();
    return switch (tag) {
      case NULL -> null;
      case INT -> in.readInt();
      case LONG -> in.readLong();
      case DOUBLE -> in.readDouble();
      case TRUE -> Boolean.TRUE;
      case FALSE -> Boolean.FALSE;
      case LATIN1 -> {
        byte[] b = readBytes(in, length(in));
        yield new String(b, StandardCharsets.ISO_8859_1);
      }
      case UTF16 -> {
        int n = length(in);
        in.check(char[].class, n);
        StringBuilder s = new StringBuilder(Math.min(n, 1 << 16));
        for (int i = 0; i < n; i++) {
          s.append(in.readChar());
        }
        yield s.toString();
      }
      case BYTES -> readBytes(in, length(in));
      case LAMBDA -> readLambda(in, codec);
      case NESTED_JAVA -> {
        int n = length(in);
        yield codec.decodeJava(new ByteArrayInputStream(readBytes(in, n)), in.filter());
      }
      case EXTERNAL -> readExternal(in, codec);
      default -> throw new StreamCorruptedException("unknown value tag " + tag);
    };
  }

  private static int length(CompactInput in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new StreamCorruptedException("negative length " + n);
    }
    return n;
  }

  private static byte[] readBytes(CompactInput in, int n) throws IOException {
    in.check(byte[].class, n);
    if (n <= (1 << 16) || n <= in.available()) {
      byte[] b = new byte[n];
      in.readFully(b);
      return b;
    }
    byte[] b = in.readNBytes(n); // grows as data arrives: a forged length allocates nothing up front
    if (b.length != n) {
      throw new EOFException("expected " + n + " bytes, got " + b.length);
    }
    return b;
  }

  private static Object readExternal(CompactInput in, JavaSerializationCodec codec)
      throws IOException, ClassNotFoundException {
    String name = in.readUTF();
    Class<?> type = codec.resolve(name);
    if (!CompactExternalizable.class.isAssignableFrom(type)) {
      throw new InvalidClassException(name, "not a CompactExternalizable");
    }
    in.check(type, -1);
    Constructor<?> constructor = CONSTRUCTOR.get(type).orElseThrow(
        () -> new InvalidClassException(name, "no public no-argument constructor"));
    Externalizable value;
    try {
      value = (Externalizable) constructor.newInstance();
    } catch (InvocationTargetException e) {
      InvalidObjectException ioe = new InvalidObjectException("cannot create " + name + ": " + e.getCause());
      ioe.initCause(e.getCause());
      throw ioe;
    } catch (ReflectiveOperationException e) {
      InvalidObjectException ioe = new InvalidObjectException("cannot create " + name + ": " + e);
      ioe.initCause(e);
      throw ioe;
    }
    value.readExternal(in);
    return value;
  }

  /** The header of a lambda's short form after its tag, as it came: eight strings and a byte. */
  private static byte[] readLambdaHeader(CompactInput in) throws IOException {
    byte[] buf = new byte[256];
    int pos = 0;
    for (int field = 0; field < 9; field++) {
      if (field == 4) { // the implementation's method kind
        buf[pos++] = (byte) in.readUnsignedByte();
        continue;
      }
      int len = in.readUnsignedShort();
      if (pos + 2 + len + 1 > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(2 * buf.length, pos + 2 + len + 1));
      }
      buf[pos++] = (byte) (len >> 8);
      buf[pos++] = (byte) len;
      in.readFully(buf, pos, len);
      pos += len;
    }
    return Arrays.copyOf(buf, pos);
  }

  private static ReadHeader lambdaHeader(CompactInput in) throws IOException {
    byte[] bytes = readLambdaHeader(in);
    if (bytes.length > MAX_CACHED_HEADER_BYTES) {
      return ReadHeader.decode(bytes);
    }
    HeaderKey key = new HeaderKey(bytes);
    ReadHeader header = READ_HEADERS.get(key);
    if (header == null) {
      header = ReadHeader.decode(bytes);
      if (READ_HEADERS.size() < MAX_READ_HEADERS) {
        READ_HEADERS.putIfAbsent(key, header);
      }
    }
    return header;
  }

  private static Object readLambda(CompactInput in, JavaSerializationCodec codec)
      throws IOException, ClassNotFoundException {
    ReadHeader header = lambdaHeader(in);
    String functionalInterfaceClass = header.functionalInterfaceClass();
    String functionalInterfaceMethodName = header.functionalInterfaceMethodName();
    String functionalInterfaceMethodSignature = header.functionalInterfaceMethodSignature();
    int implMethodKind = header.implMethodKind();
    String implClass = header.implClass();
    String implMethodName = header.implMethodName();
    String implMethodSignature = header.implMethodSignature();
    String instantiatedMethodType = header.instantiatedMethodType();
    int captured = in.readUnsignedShort();
    in.check(Object[].class, captured);
    Object[] args = new Object[captured];
    for (int i = 0; i < args.length; i++) {
      args[i] = in.readObject();
    }
    in.check(SerializedLambda.class, -1);
    Class<?> capturing = codec.resolve(header.capturingName());
    in.check(capturing, -1);
    SerializedLambda sl = new SerializedLambda(capturing, functionalInterfaceClass, functionalInterfaceMethodName,
        functionalInterfaceMethodSignature, implMethodKind, implClass, implMethodName, implMethodSignature,
        instantiatedMethodType, args);
    Method deserialize = DESERIALIZE_LAMBDA.get(capturing).orElseThrow(() -> new InvalidObjectException(
        capturing.getName() + " declares no serializable lambdas (or they cannot be reached)"));
    try {
      return deserialize.invoke(null, sl);
    } catch (InvocationTargetException e) {
      InvalidObjectException ioe = new InvalidObjectException(
          "cannot rebuild lambda " + implClass + "." + implMethodName + ": " + e.getCause());
      ioe.initCause(e.getCause());
      throw ioe;
    } catch (IllegalAccessException e) {
      InvalidObjectException ioe = new InvalidObjectException("cannot rebuild lambda: " + e);
      ioe.initCause(e);
      throw ioe;
    }
  }
}

package dev.jobengine;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Java serialization, the default {@link Codec}: it is what lets a serializable lambda travel to a
 * worker. The values tasks pass most (null, Integer, Long, Double, Boolean, String, byte[],
 * serializable lambdas, whatever they capture, and {@link dev.jobengine.spi.CompactExternalizable}s
 * such as map chunks) have short forms that skip the class descriptors a
 * Java serialization stream repeats in every message; a lambda is still rebuilt by its capturing
 * class's {@code $deserializeLambda$}, as Java serialization does. Decoding goes through an {@link ObjectInputFilter}: the JVM-wide filter when one is set
 * ({@code jdk.serialFilter}), combined with the limits below, which bound what a peer can make a
 * process allocate; the engine adds, per payload, the tighter bounds described at {@link
 * Codec#decode(InputStream, ObjectInputFilter)}. Classes resolve through the thread's context class loader.
 *
 * <p>Bytes are only ever decoded from authenticated peers (see the engine's authkey).
 */
public class JavaSerializationCodec implements Codec {
  private static final long MAX_DEPTH = 2000;
  private static final long MAX_REFS = 50_000_000;
  private static final long MAX_ARRAY = 300_000_000;

  /** Default limits: graph depth, references, and array length (items). */
  public static final String DEFAULT_LIMITS = "maxdepth=" + MAX_DEPTH + ";maxrefs=" + MAX_REFS + ";maxarray=" + MAX_ARRAY;

  private final ObjectInputFilter filter;

  /**
   * The codec with the {@link #DEFAULT_LIMITS}, combined with the JVM-wide filter if one is set.
   * This is the constructor workers call.
   */
  public JavaSerializationCodec() {
    this(new Limits(MAX_DEPTH, MAX_REFS, MAX_ARRAY));
  }

  /**
   * The codec with {@code limits} in place of the defaults, combined with the JVM-wide filter if
   * one is set. Workers create their codec with the no-argument constructor, so a subclass that
   * wants other limits in the workers too passes them from its own no-argument constructor.
   *
   * @param limits the filter every decoded value must pass
   */
  public JavaSerializationCodec(ObjectInputFilter limits) {
    ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
    this.filter = global == null ? limits : ObjectInputFilter.merge(global, limits);
  }

  @Override
  public void encode(Object value, OutputStream out) throws IOException {
    CompactOutput data = new CompactOutput(out, this, CompactForms.expectedSize(value));
    if (!CompactForms.write(value, data)) {
      encodeJava(value, data);
    }
    data.flush();
  }

  @Override
  public Object decode(InputStream in) throws IOException, ClassNotFoundException {
    return decodeWith(in, filter);
  }

  /**
   * Decodes through {@code filter} and this codec's own filter: what either rejects is refused.
   * The engine decodes every payload through this method, so a subclass that changes decoding
   * overrides this one (not only {@link #decode(InputStream)}).
   */
  @Override
  public Object decode(InputStream in, ObjectInputFilter filter) throws IOException, ClassNotFoundException {
    return decodeWith(in, ObjectInputFilter.merge(filter, this.filter));
  }

  private Object decodeWith(InputStream in, ObjectInputFilter filter) throws IOException, ClassNotFoundException {
    int tag = in.read();
    if (tag < 0) {
      throw new EOFException("no value to decode: the input is empty");
    }
    if (tag == CompactForms.JAVA_STREAM) {
      return decodeJava(new SequenceInputStream(new ByteArrayInputStream(new byte[] {(byte) tag}), in), filter);
    }
    return CompactForms.read(tag, new CompactInput(in, this, filter));
  }

  /** Writes a plain Java serialization stream. */
  void encodeJava(Object value, OutputStream out) throws IOException {
    ObjectOutputStream oos = new ObjectOutputStream(out);
    oos.writeObject(value);
    oos.flush();
  }

  /** Reads a plain Java serialization stream, through {@code filter}. */
  Object decodeJava(InputStream in, ObjectInputFilter filter) throws IOException, ClassNotFoundException {
    ObjectInputStream ois = new ContextObjectInputStream(in);
    ois.setObjectInputFilter(filter);
    return ois.readObject();
  }

  /** Applies {@code filter} to a class (and array length, -1 for none) met outside a Java stream. */
  static void check(ObjectInputFilter filter, Class<?> type, long arrayLength) throws InvalidClassException {
    ObjectInputFilter.Status status = filter.checkInput(new ObjectInputFilter.FilterInfo() {
      @Override
      public Class<?> serialClass() {
        return type;
      }

      @Override
      public long arrayLength() {
        return arrayLength;
      }

      @Override
      public long depth() {
        return 1;
      }

      @Override
      public long references() {
        return 1;
      }

      @Override
      public long streamBytes() {
        return 0;
      }
    });
    if (status == ObjectInputFilter.Status.REJECTED) {
      throw new InvalidClassException(
          type.getName(), (arrayLength >= 0 ? "length " + arrayLength + " " : "") + "rejected by the serialization filter");
    }
  }

  /**
   * Limits as {@code ObjectInputFilter.Config.createFilter} makes them from a pattern of only
   * {@code maxdepth}, {@code maxrefs} and {@code maxarray}, deciding the same; without the streams
   * such a filter runs on every check (five objects each, and every task's lambda is checked three
   * times).
   */
  static final class Limits implements ObjectInputFilter {
    private final long maxDepth;
    private final long maxRefs;
    private final long maxArray;

    Limits(long maxDepth, long maxRefs, long maxArray) {
      this.maxDepth = maxDepth;
      this.maxRefs = maxRefs;
      this.maxArray = maxArray;
    }

    @Override
    public Status checkInput(FilterInfo info) {
      long refs = info.references();
      long depth = info.depth();
      long bytes = info.streamBytes();
      if (refs < 0 || depth < 0 || bytes < 0 || refs > maxRefs || depth > maxDepth) {
        return Status.REJECTED;
      }
      Class<?> type = info.serialClass();
      if (type != null && type.isArray() && info.arrayLength() > maxArray) {
        return Status.REJECTED;
      }
      return Status.UNDECIDED;
    }

    @Override
    public String toString() {
      return "maxdepth=" + maxDepth + ";maxrefs=" + maxRefs + ";maxarray=" + maxArray;
    }
  }

  /** A class resolved, with the loader it was resolved for. */
  private record Resolved(ClassLoader loader, String name, Class<?> type) {}

  /** The last few classes resolved (a map task names two: its chunk's and its function's). */
  private final AtomicReferenceArray<Resolved> resolved = new AtomicReferenceArray<>(4);
  private final AtomicInteger nextResolved = new AtomicInteger();

  /** A class by name through the thread's context class loader, as {@link ContextObjectInputStream} does. */
  Class<?> resolve(String name) throws ClassNotFoundException {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    for (int i = 0; i < resolved.length(); i++) {
      Resolved r = resolved.get(i);
      if (r != null && r.loader == loader && r.name.equals(name)) {
        return r.type;
      }
    }
    Class<?> type = null;
    if (loader != null) {
      try {
        type = Class.forName(name, false, loader);
      } catch (ClassNotFoundException e) {
        // fall through to the loader of this class
      }
    }
    if (type == null) {
      type = Class.forName(name, false, JavaSerializationCodec.class.getClassLoader());
    }
    resolved.set(Math.floorMod(nextResolved.getAndIncrement(), resolved.length()), new Resolved(loader, name, type));
    return type;
  }

  private static final class ContextObjectInputStream extends ObjectInputStream {
    ContextObjectInputStream(InputStream in) throws IOException {
      super(in);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      if (loader != null) {
        try {
          return Class.forName(desc.getName(), false, loader);
        } catch (ClassNotFoundException e) {
          // fall through to the default (primitives, platform classes)
        }
      }
      return super.resolveClass(desc);
    }
  }
}

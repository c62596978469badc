package dev.jobengine;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;

/**
 * Java serialization, the default {@link Codec}: it is what lets a serializable lambda travel to a
 * worker. Decoding goes through an {@link ObjectInputFilter}: the JVM-wide filter when one is set
 * ({@code jdk.serialFilter}), combined with the limits below, which bound what a peer can make a
 * process allocate. Classes resolve through the thread's context class loader.
 *
 * <p>Bytes are only ever decoded from authenticated peers (see the engine's authkey).
 */
public class JavaSerializationCodec implements Codec {
  /** Default limits: graph depth, references, and array length (items). */
  public static final String DEFAULT_LIMITS = "maxdepth=2000;maxrefs=50000000;maxarray=300000000";

  private final ObjectInputFilter filter;

  public JavaSerializationCodec() {
    this(ObjectInputFilter.Config.createFilter(DEFAULT_LIMITS));
  }

  public JavaSerializationCodec(ObjectInputFilter limits) {
    ObjectInputFilter global = ObjectInputFilter.Config.getSerialFilter();
    this.filter = global == null ? limits : ObjectInputFilter.merge(global, limits);
  }

  @Override
  public void encode(Object value, OutputStream out) throws IOException {
    ObjectOutputStream oos = new ObjectOutputStream(out);
    oos.writeObject(value);
    oos.flush();
  }

  @Override
  public Object decode(InputStream in) throws IOException, ClassNotFoundException {
    ObjectInputStream ois = new ContextObjectInputStream(in);
    ois.setObjectInputFilter(filter);
    return ois.readObject();
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

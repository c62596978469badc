package dev.jobengine;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.OutputStream;

/**
 * Turns tasks, items, results and shared-object values into bytes and back. The master and every
 * worker use the same codec class, which needs a public no-argument constructor so that a worker
 * can create it. The default is {@link JavaSerializationCodec}.
 */
public interface Codec {
  /** Writes {@code value} to {@code out}; throws if it cannot be encoded. */
  void encode(Object value, OutputStream out) throws IOException;

  /** Reads one value written by {@link #encode}. */
  Object decode(InputStream in) throws IOException, ClassNotFoundException;

  /**
   * Reads one value written by {@link #encode}, refusing (with an {@link IOException}) what {@code
   * filter} rejects: the engine decodes every payload this way, with a filter that bounds array,
   * string and collection lengths by the payload's size, limits nesting and references, and
   * applies {@link EngineOptions#allowedClasses()}. A codec that creates objects by class name
   * should consult the filter as {@link java.io.ObjectInputStream#setObjectInputFilter} does; the
   * default ignores it and calls {@link #decode(InputStream)}.
   */
  default Object decode(InputStream in, ObjectInputFilter filter) throws IOException, ClassNotFoundException {
    return decode(in);
  }
}

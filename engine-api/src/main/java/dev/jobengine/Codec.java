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
  /**
   * Writes {@code value} to {@code out}. The engine turns what this throws into a {@link
   * TaskSerializationException}.
   *
   * @param value the value to encode; null where the engine allows it (a task's result)
   * @param out where to write it; the codec need not close it
   * @throws IOException if {@code value} cannot be encoded, or writing fails
   */
  void encode(Object value, OutputStream out) throws IOException;

  /**
   * Reads one value written by {@link #encode}. Classes should resolve through the thread's
   * context class loader: in a worker, the engine sets it to the loader of the application's
   * classes.
   *
   * @param in the encoded value
   * @return the value
   * @throws IOException if the input is not a value this codec wrote, or reading fails
   * @throws ClassNotFoundException if a class the value names cannot be found
   */
  Object decode(InputStream in) throws IOException, ClassNotFoundException;

  /**
   * Reads one value written by {@link #encode}, refusing (with an {@link IOException}) what {@code
   * filter} rejects: the engine decodes every payload this way, with a filter that bounds array,
   * string and collection lengths by the payload's size, limits nesting and references, and
   * applies {@link EngineOptions#allowedClasses()}. A codec that creates objects by class name
   * should consult the filter as {@link java.io.ObjectInputStream#setObjectInputFilter} does; the
   * default ignores it and calls {@link #decode(InputStream)}.
   *
   * @param in the encoded value
   * @param filter what may be decoded
   * @return the value
   * @throws IOException if the input is not a value this codec wrote, reading fails, or {@code
   *     filter} rejects what it holds
   * @throws ClassNotFoundException if a class the value names cannot be found
   */
  default Object decode(InputStream in, ObjectInputFilter filter) throws IOException, ClassNotFoundException {
    return decode(in);
  }
}

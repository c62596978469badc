package dev.jobengine;

import java.io.IOException;
import java.io.InputStream;
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
}

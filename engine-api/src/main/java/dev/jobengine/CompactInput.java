package dev.jobengine;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInput;
import java.io.StreamCorruptedException;
import java.util.Arrays;

/**
 * The stream {@link CompactForms} reads from, through a buffer of its own; as an {@link
 * ObjectInput}, {@code readObject} reads one value written by {@link CompactOutput#writeObject}.
 * Values nest (a lambda's captured values, an Externalizable's objects) at most {@value
 * #MAX_DEPTH} deep, so forged input cannot exhaust the stack.
 */
final class CompactInput extends InputStream implements ObjectInput {
  static final int MAX_DEPTH = 200;
  /** Most bytes read ahead from the source. */
  private static final int BUFFER = 8 << 10;
  /** Fewest bytes a buffer has. */
  private static final int SMALLEST = 16;

  private final InputStream in;
  private final JavaSerializationCodec codec;
  private final ObjectInputFilter filter;
  /**
   * Sized by what the source says it holds, when it says (a payload's bytes do), up to {@link
   * #BUFFER}: most values are a few bytes, and a full-size buffer for each cost its allocation and
   * zeroing on every decode. It grows when a read needs more.
   */
  private byte[] buf;
  /** The last read from the source filled the buffer: there may be more than it said. */
  private boolean filled;
  private int pos;
  private int limit;
  private int depth;

  CompactInput(InputStream in, JavaSerializationCodec codec, ObjectInputFilter filter) throws IOException {
    this.in = in;
    this.codec = codec;
    this.filter = filter;
    int available = in.available();
    this.buf = new byte[available > 0 ? Math.max(SMALLEST, Math.min(BUFFER, available)) : BUFFER];
  }

  JavaSerializationCodec codec() {
    return codec;
  }

  /** The filter in effect for this value and what it nests. */
  ObjectInputFilter filter() {
    return filter;
  }

  /** Applies the filter to a class, and an array length (-1 for none), before anything is created. */
  void check(Class<?> type, long arrayLength) throws InvalidClassException {
    JavaSerializationCodec.check(filter, type, arrayLength);
  }

  @Override
  public Object readObject() throws IOException, ClassNotFoundException {
    int tag = read();
    if (tag < 0) {
      throw new EOFException("the input ends where a value should start");
    }
    if (++depth > MAX_DEPTH) {
      throw new StreamCorruptedException("values nest deeper than " + MAX_DEPTH);
    }
    try {
      return CompactForms.read(tag, this);
    } finally {
      depth--;
    }
  }

  /** At least {@code n} bytes (n at most BUFFER) buffered, or EOFException. */
  private void require(int n) throws IOException {
    if (limit - pos >= n) {
      return;
    }
    byte[] to = n <= buf.length ? buf : new byte[Math.min(BUFFER, Math.max(n, 2 * buf.length))];
    System.arraycopy(buf, pos, to, 0, limit - pos);
    buf = to;
    limit -= pos;
    pos = 0;
    while (limit < n) {
      int r = fill();
      if (r < 0) {
        throw new EOFException("the input ends inside a value");
      }
      limit += r;
    }
  }

  /**
   * Reads from the source after what is buffered; a buffer the last read filled doubles first (up
   * to {@link #BUFFER}), so a source that held more than it said is not read a few bytes at a time.
   */
  private int fill() throws IOException {
    if (filled && buf.length < BUFFER) {
      buf = Arrays.copyOf(buf, Math.min(BUFFER, 2 * buf.length));
    }
    int room = buf.length - limit;
    int r = in.read(buf, limit, room);
    filled = r == room;
    return r;
  }

  @Override
  public int read() throws IOException {
    if (pos == limit) {
      pos = 0;
      limit = 0;
      int r = fill();
      if (r <= 0) {
        return -1;
      }
      limit = r;
    }
    return buf[pos++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int buffered = limit - pos;
    if (buffered > 0) {
      int n = Math.min(buffered, len);
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      return n;
    }
    if (len >= buf.length) {
      return in.read(b, off, len); // big arrays come straight from the source
    }
    pos = 0;
    limit = 0;
    int r = fill();
    if (r <= 0) {
      return -1;
    }
    limit = r;
    return read(b, off, len);
  }

  @Override
  public int available() throws IOException {
    return limit - pos + in.available();
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = 0;
    while (skipped < n && read() >= 0) {
      skipped++;
    }
    return skipped;
  }

  @Override
  public void readFully(byte[] b) throws IOException {
    readFully(b, 0, b.length);
  }

  @Override
  public void readFully(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int r = read(b, off, len);
      if (r < 0) {
        throw new EOFException("the input ends inside a value");
      }
      off += r;
      len -= r;
    }
  }

  @Override
  public int skipBytes(int n) throws IOException {
    return (int) skip(n);
  }

  @Override
  public boolean readBoolean() throws IOException {
    return readByte() != 0;
  }

  @Override
  public byte readByte() throws IOException {
    require(1);
    return buf[pos++];
  }

  @Override
  public int readUnsignedByte() throws IOException {
    return readByte() & 0xFF;
  }

  @Override
  public short readShort() throws IOException {
    require(2);
    short v = (short) (((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF));
    pos += 2;
    return v;
  }

  @Override
  public int readUnsignedShort() throws IOException {
    return readShort() & 0xFFFF;
  }

  @Override
  public char readChar() throws IOException {
    return (char) readShort();
  }

  @Override
  public int readInt() throws IOException {
    require(4);
    int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  @Override
  public long readLong() throws IOException {
    return ((long) readInt() << 32) | (readInt() & 0xFFFFFFFFL);
  }

  @Override
  public float readFloat() throws IOException {
    return Float.intBitsToFloat(readInt());
  }

  @Override
  public double readDouble() throws IOException {
    return Double.longBitsToDouble(readLong());
  }

  @Override
  @Deprecated
  public String readLine() throws IOException {
    throw new UnsupportedOperationException("readLine is not supported here");
  }

  @Override
  public String readUTF() throws IOException {
    return DataInputStream.readUTF(this);
  }
}

package dev.jobengine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutput;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.util.Arrays;

/**
 * The stream {@link CompactForms} writes to: big-endian primitives as {@link java.io.DataOutput}
 * writes them, gathered in a buffer of its own (a map chunk writes thousands of ints). As an
 * {@link ObjectOutput} (what a {@link dev.jobengine.spi.CompactExternalizable} writes itself to),
 * each {@code writeObject} value takes its short form, or is a Java serialization stream of its
 * own. {@link #flush()} passes everything on.
 */
final class CompactOutput extends OutputStream implements ObjectOutput {
  /** Most bytes gathered before they are passed on. */
  static final int BUFFER = 8 << 10;
  /** The buffer's first size when the value's is not known. */
  private static final int FIRST = 512;

  private final OutputStream out;
  private final JavaSerializationCodec codec;
  /**
   * Starts at the size the value is expected to take and doubles as it needs, up to {@link
   * #BUFFER}: a full-size buffer for each value cost its allocation and zeroing on every encode
   * (an Integer's encode took 0.76 us with one, 0.04 us without, measured after warm-up), and
   * growing from a few bytes cost copies.
   */
  private byte[] buf;
  private int pos;

  CompactOutput(OutputStream out, JavaSerializationCodec codec) {
    this(out, codec, FIRST);
  }

  /** {@code expected}: the bytes the value is expected to take; the buffer starts at that size. */
  CompactOutput(OutputStream out, JavaSerializationCodec codec, int expected) {
    this.out = out;
    this.codec = codec;
    this.buf = new byte[Math.max(1, Math.min(BUFFER, expected))];
  }

  JavaSerializationCodec codec() {
    return codec;
  }

  @Override
  public void writeObject(Object value) throws IOException {
    if (!CompactForms.write(value, this)) {
      ByteArrayOutputStream nested = new ByteArrayOutputStream(256);
      codec.encodeJava(value, nested);
      writeByte(CompactForms.NESTED_JAVA);
      writeInt(nested.size());
      nested.writeTo(this);
    }
  }

  /** Room for {@code n} more bytes (n at most BUFFER): the buffer grows, or is passed on when full. */
  private void ensure(int n) throws IOException {
    if (pos + n > buf.length) {
      if (pos + n > BUFFER) {
        drain();
      }
      if (pos + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.min(BUFFER, Math.max(2 * buf.length, pos + n)));
      }
    }
  }

  private void drain() throws IOException {
    if (pos > 0) {
      out.write(buf, 0, pos);
      pos = 0;
    }
  }

  @Override
  public void write(int b) throws IOException {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  @Override
  public void write(byte[] b) throws IOException {
    write(b, 0, b.length);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (len < BUFFER) {
      ensure(len);
      System.arraycopy(b, off, buf, pos, len);
      pos += len;
    } else {
      drain();
      out.write(b, off, len); // big arrays go through without a copy here
    }
  }

  @Override
  public void writeBoolean(boolean v) throws IOException {
    write(v ? 1 : 0);
  }

  @Override
  public void writeByte(int v) throws IOException {
    write(v);
  }

  @Override
  public void writeShort(int v) throws IOException {
    ensure(2);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  @Override
  public void writeChar(int v) throws IOException {
    writeShort(v);
  }

  @Override
  public void writeInt(int v) throws IOException {
    ensure(4);
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  @Override
  public void writeLong(long v) throws IOException {
    writeInt((int) (v >>> 32));
    writeInt((int) v);
  }

  @Override
  public void writeFloat(float v) throws IOException {
    writeInt(Float.floatToIntBits(v));
  }

  @Override
  public void writeDouble(double v) throws IOException {
    writeLong(Double.doubleToLongBits(v));
  }

  @Override
  public void writeBytes(String s) throws IOException {
    for (int i = 0; i < s.length(); i++) {
      write(s.charAt(i));
    }
  }

  @Override
  public void writeChars(String s) throws IOException {
    for (int i = 0; i < s.length(); i++) {
      writeChar(s.charAt(i));
    }
  }

  /** Modified UTF-8 with a two-byte length, exactly as {@link java.io.DataOutputStream#writeUTF}. */
  @Override
  public void writeUTF(String s) throws IOException {
    int n = s.length();
    long bytes = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80 || c == 0) {
        bytes += c >= 0x800 ? 2 : 1;
      }
    }
    if (bytes > 65_535) {
      throw new UTFDataFormatException("encoded string too long: " + bytes + " bytes");
    }
    writeShort((int) bytes);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c != 0 && c < 0x80) {
        write(c);
      } else if (c < 0x800) {
        ensure(2);
        buf[pos++] = (byte) (0xC0 | (c >> 6));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      } else {
        ensure(3);
        buf[pos++] = (byte) (0xE0 | (c >> 12));
        buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      }
    }
  }

  @Override
  public void flush() throws IOException {
    drain();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    flush();
  }
}

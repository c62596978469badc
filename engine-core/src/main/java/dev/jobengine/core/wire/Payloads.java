package dev.jobengine.core.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.jobengine.Codec;
import dev.jobengine.JavaSerializationCodec;
import dev.jobengine.TaskSerializationException;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.OutputStream;
import java.util.function.Supplier;

/**
 * Encodes and decodes values with the engine's codec, enforcing the payload limit; decodes through
 * a {@link PayloadFilter} of the payload's size and the allow-list.
 */
public final class Payloads {
  private final Codec codec;
  private final int maxBytes;
  private final String allowedClasses;
  private final ObjectInputFilter allowed;

  public Payloads(Codec codec, int maxBytes) {
    this(codec, maxBytes, null);
  }

  /** {@code allowedClasses}: see {@code EngineOptions.allowedClasses()}; null for any class. */
  public Payloads(Codec codec, int maxBytes, String allowedClasses) {
    this.codec = codec;
    this.maxBytes = maxBytes;
    this.allowedClasses = allowedClasses;
    this.allowed = allowedClasses == null ? null : ObjectInputFilter.Config.createFilter(allowedClasses);
  }

  /** The allow-list pattern, or null for any class. */
  public String allowedClasses() {
    return allowedClasses;
  }

  public Codec codec() {
    return codec;
  }

  /** The payload limit, in bytes. */
  public int maxBytes() {
    return maxBytes;
  }

  /**
   * Whether {@code bytes} hold a value that decodes without running any application code: one of
   * {@link JavaSerializationCodec}'s plain short forms (null, a number, a boolean, a string, a byte
   * array), which start with a tag from 1 to 9. False for anything else, and for any other codec.
   */
  public boolean isPlain(ByteString bytes) {
    if (codec.getClass() != JavaSerializationCodec.class || bytes.isEmpty()) {
      return false;
    }
    int tag = bytes.byteAt(0);
    return tag >= 1 && tag <= 9;
  }

  /**
   * Encodes {@code value}; {@link TaskSerializationException} naming {@code what} if the codec
   * fails or the result exceeds the limit (checked while writing, so nothing huge is buffered).
   */
  public ByteString encode(Object value, String what) {
    return encode(value, () -> what, maxBytes);
  }

  /**
   * As {@link #encode(Object, String)}, naming the value only if that is needed: for the values
   * encoded one per item or task, whose description would otherwise be built every time.
   */
  public ByteString encode(Object value, Supplier<String> what) {
    return encode(value, what, maxBytes);
  }

  /** As {@link #encode(Object, String)}, under a limit of {@code limitBytes} (at most the payload limit). */
  public ByteString encode(Object value, String what, int limitBytes) {
    return encode(value, () -> what, limitBytes);
  }

  private ByteString encode(Object value, Supplier<String> what, int limitBytes) {
    PayloadOutput out = new PayloadOutput(Math.min(limitBytes, maxBytes), what);
    try {
      codec.encode(value, out);
    } catch (TooLargeException e) {
      throw new PayloadTooLargeException(e.getMessage());
    } catch (IOException | RuntimeException e) {
      throw new TaskSerializationException(
          what.get() + " cannot be encoded by " + codec.getClass().getSimpleName() + ": " + e, e);
    }
    return out.toByteString();
  }

  /** Decodes bytes written by {@link #encode}; {@link TaskSerializationException} if that fails. */
  public Object decode(ByteString bytes, String what) {
    return decode(bytes, () -> what);
  }

  /** As {@link #decode(ByteString, String)}, naming the value only if that is needed. */
  public Object decode(ByteString bytes, Supplier<String> what) {
    PayloadFilter filter = new PayloadFilter(bytes.size(), allowed);
    try {
      return codec.decode(bytes.newInput(), filter);
    } catch (IOException | ClassNotFoundException | RuntimeException | StackOverflowError e) {
      String refusal = filter.refusal();
      if (refusal != null) {
        throw new TaskSerializationException(what.get() + " was refused: " + refusal, e);
      }
      throw new TaskSerializationException(
          what.get() + " cannot be decoded by " + codec.getClass().getSimpleName() + ": " + e, e);
    }
  }

  /** The encoded value exceeds the payload limit. */
  public static final class PayloadTooLargeException extends TaskSerializationException {
    private static final long serialVersionUID = 1L;

    PayloadTooLargeException(String message) {
      super(message);
    }
  }

  /** Thrown while writing past the limit. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message);
    }
  }

  /**
   * Gathers what the codec writes, under a limit (checked as it comes, so nothing huge is
   * buffered), into pieces that become the payload's ByteString without another copy. A codec
   * that writes its value in one go (the default codec does for most values under 8 KiB) so makes one
   * array of exactly its size; ByteString.newOutput made a 256-byte buffer and then a copy of it.
   */
  static final class PayloadOutput extends OutputStream {
    private static final int MAX_PIECE = 1 << 20;
    private final long max;
    private final Supplier<String> what;
    private long written;
    private ByteString done = ByteString.EMPTY;
    private byte[] piece; // being filled; null when none
    private int pos;

    PayloadOutput(long max, Supplier<String> what) {
      this.max = max;
      this.what = what;
    }

    private void count(long n) throws TooLargeException {
      written += n;
      if (written > max) {
        throw new TooLargeException(
            what.get() + " is larger than the payload limit of " + max + " bytes (maxPayloadBytes)");
      }
    }

    @Override
    public void write(int b) throws IOException {
      count(1);
      if (piece == null || pos == piece.length) {
        next(256);
      }
      piece[pos++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      count(len);
      while (len > 0) {
        if (piece == null || pos == piece.length) {
          next(len);
        }
        int n = Math.min(len, piece.length - pos);
        System.arraycopy(b, off, piece, pos, n);
        pos += n;
        off += n;
        len -= n;
      }
    }

    /** Seals the piece being filled and starts one for at least {@code need} bytes (or as many as were written). */
    private void next(int need) {
      seal();
      piece = new byte[Math.max(need, Math.min(MAX_PIECE, done.size()))];
    }

    private void seal() {
      if (piece != null && pos > 0) {
        ByteString filled = pos == piece.length ? UnsafeByteOperations.unsafeWrap(piece)
            : pos < piece.length / 2 ? ByteString.copyFrom(piece, 0, pos) // do not keep a mostly empty array
            : UnsafeByteOperations.unsafeWrap(piece, 0, pos);
        done = done.concat(filled);
      }
      piece = null;
      pos = 0;
    }

    /** What was written; nothing may be written after this. */
    ByteString toByteString() {
      seal();
      return done;
    }
  }
}

package dev.jobengine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ObjectInputFilter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.io.UTFDataFormatException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** CompactOutput and CompactInput keep DataOutput's byte format across their buffer boundaries. */
class CompactStreamsTest {
  private final JavaSerializationCodec codec = new JavaSerializationCodec();

  @Test
  void writesExactlyWhatDataOutputStreamWrites() throws Exception {
    ByteArrayOutputStream ours = new ByteArrayOutputStream();
    ByteArrayOutputStream java = new ByteArrayOutputStream();
    CompactOutput out = new CompactOutput(ours, codec);
    DataOutputStream data = new DataOutputStream(java);
    byte[] big = new byte[20_000];
    new Random(1).nextBytes(big);
    String[] texts = {"", "ascii", "nul\u0000inside", "caf\u00e9", "\u65e5\u672c\ud83d\ude00", "x".repeat(9_000)};
    for (int i = 0; i < 5_000; i++) { // well past the 8 KiB buffer, so values straddle its end
      out.writeInt(i * 7919);
      data.writeInt(i * 7919);
      out.writeLong(-i * 104_729L);
      data.writeLong(-i * 104_729L);
      out.writeShort(i);
      data.writeShort(i);
      out.writeByte(i);
      data.writeByte(i);
      out.writeDouble(i / 3.0);
      data.writeDouble(i / 3.0);
      out.writeUTF(texts[i % texts.length]);
      data.writeUTF(texts[i % texts.length]);
      if (i % 1000 == 0) {
        out.write(big, 3, big.length - 3);
        data.write(big, 3, big.length - 3);
        out.writeChars("\u00e9t\u00e9");
        data.writeChars("\u00e9t\u00e9");
      }
    }
    out.flush();
    assertThat(ours.toByteArray()).isEqualTo(java.toByteArray());
    assertThatThrownBy(() -> out.writeUTF("\u65e5".repeat(30_000))).isInstanceOf(UTFDataFormatException.class);
  }

  @Test
  void readsWhatDataOutputStreamWrote() throws Exception {
    ByteArrayOutputStream java = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(java);
    byte[] big = new byte[50_000];
    new Random(2).nextBytes(big);
    for (int i = 0; i < 3_000; i++) {
      data.writeInt(i);
      data.writeLong(i * 31L);
      data.writeUTF("v" + i + "\u00e9\u0000");
      data.writeChar('\u65e5');
    }
    data.write(big);
    data.writeInt(-1);
    // a source that hands out a few bytes at a time, as a network stream may
    InputStream trickle = new ByteArrayInputStream(java.toByteArray()) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 5));
      }
    };
    CompactInput in = new CompactInput(trickle, codec, ObjectInputFilter.Config.createFilter(JavaSerializationCodec.DEFAULT_LIMITS));
    for (int i = 0; i < 3_000; i++) {
      assertThat(in.readInt()).isEqualTo(i);
      assertThat(in.readLong()).isEqualTo(i * 31L);
      assertThat(in.readUTF()).isEqualTo("v" + i + "\u00e9\u0000");
      assertThat(in.readChar()).isEqualTo('\u65e5');
    }
    byte[] back = new byte[big.length];
    in.readFully(back);
    assertThat(back).isEqualTo(big);
    assertThat(in.readInt()).isEqualTo(-1);
    assertThat(in.read()).isEqualTo(-1);
    assertThatThrownBy(in::readInt).isInstanceOf(EOFException.class);
  }

  @Test
  void buffersGrowForWhatASourceDidNotAnnounce() throws Exception {
    ByteArrayOutputStream java = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(java);
    String long9k = "y".repeat(9_000);
    data.writeInt(7);
    data.writeLong(Long.MIN_VALUE + 3);
    data.writeUTF(long9k);
    data.writeDouble(2.5);
    // says it holds 2 bytes, then hands out everything: the buffer starts small and must grow
    InputStream understated = new ByteArrayInputStream(java.toByteArray()) {
      private boolean asked;

      @Override
      public synchronized int available() {
        if (!asked) {
          asked = true;
          return 2;
        }
        return super.available();
      }
    };
    CompactInput in = new CompactInput(understated, codec, ObjectInputFilter.Config.createFilter(JavaSerializationCodec.DEFAULT_LIMITS));
    assertThat(in.readInt()).isEqualTo(7);
    assertThat(in.readLong()).isEqualTo(Long.MIN_VALUE + 3);
    assertThat(in.readUTF()).isEqualTo(long9k);
    assertThat(in.readDouble()).isEqualTo(2.5);
    assertThat(in.read()).isEqualTo(-1);

    // and the output's buffer grows from its first few bytes to its full size and past it
    ByteArrayOutputStream ours = new ByteArrayOutputStream();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    CompactOutput out = new CompactOutput(ours, codec);
    DataOutputStream plain = new DataOutputStream(expected);
    for (int len : new int[] {1, 63, 64, 65, 500, 8_191, 8_192, 8_193, 30_000}) {
      byte[] b = new byte[len];
      new Random(len).nextBytes(b);
      out.writeInt(len);
      out.write(b);
      plain.writeInt(len);
      plain.write(b);
    }
    out.flush();
    assertThat(ours.toByteArray()).isEqualTo(expected.toByteArray());
  }
}

package dev.jobengine.core.tasks;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes lists of values compactly inside Java serialization: a list made only of Integers, only of
 * Longs or only of Strings is written as plain ints, longs or UTF strings (no per-element object
 * headers); anything else falls back to writeObject per element.
 */
final class Values {
  private static final byte OBJECTS = 0;
  private static final byte INTS = 1;
  private static final byte LONGS = 2;
  private static final byte STRINGS = 3;

  private Values() {}

  private static byte kindOf(List<?> values) {
    if (values.isEmpty()) {
      return OBJECTS;
    }
    Class<?> first = values.get(0) == null ? null : values.get(0).getClass();
    if (first != Integer.class && first != Long.class && first != String.class) {
      return OBJECTS;
    }
    for (Object v : values) {
      if (v == null || v.getClass() != first) {
        return OBJECTS;
      }
      if (first == String.class && ((String) v).length() > 16_000) {
        return OBJECTS; // writeUTF is limited to 64 KiB of encoded text
      }
    }
    return first == Integer.class ? INTS : first == Long.class ? LONGS : STRINGS;
  }

  static void write(ObjectOutput out, List<?> values) throws IOException {
    byte kind = kindOf(values);
    out.writeByte(kind);
    out.writeInt(values.size());
    for (Object v : values) {
      switch (kind) {
        case INTS -> out.writeInt((Integer) v);
        case LONGS -> out.writeLong((Long) v);
        case STRINGS -> out.writeUTF((String) v);
        default -> out.writeObject(v);
      }
    }
  }

  static List<Object> read(ObjectInput in) throws IOException, ClassNotFoundException {
    byte kind = in.readByte();
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("negative list size " + n);
    }
    List<Object> values = new ArrayList<>(Math.min(n, 1 << 16));
    for (int i = 0; i < n; i++) {
      values.add(switch (kind) {
        case INTS -> in.readInt();
        case LONGS -> in.readLong();
        case STRINGS -> in.readUTF();
        case OBJECTS -> in.readObject();
        default -> throw new IOException("unknown list encoding " + kind);
      });
    }
    return values;
  }
}
